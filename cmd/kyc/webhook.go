package main

import (
	"github.com/spf13/cobra"

	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) webhookCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "webhook", Short: "Manage webhook delivery"}
	secret := &cobra.Command{Use: "secret", Short: "Manage an account's webhook signing secret"}
	secret.AddCommand(c.webhookSecretRotateCmd())
	cmd.AddCommand(secret)
	return cmd
}

// The secret is printed here once and nowhere else: the API never returns it and nothing
// logs it. It is stored as it is, because signing needs it (see the migration).
func (c *cli) webhookSecretRotateCmd() *cobra.Command {
	var account string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rotate --account ID",
		Short: "Give an account a new webhook signing secret, print it once; the old one stops signing at once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withAccount(cmd.Context(), &account, func(db *store.DB) error {
				secret, err := db.RotateWebhookSecret(cmd.Context(), account)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(map[string]string{"accountId": account, "secret": secret})
				}
				c.printf("webhook signing secret of %s, shown only this once:\n\n    %s\n\n", account, secret)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account's id, or its name")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}
