package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) signingCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "signing", Short: "Turn request signing on or off for an account"}
	cmd.AddCommand(
		c.signingSwitchCmd("enable", "Require every request of the account to be signed (needs an enabled public key)",
			(*store.DB).EnableSigning, "on"),
		c.signingSwitchCmd("disable", "Accept the account's requests with the API key alone (signed ones are still verified)",
			(*store.DB).DisableSigning, "off"))
	return cmd
}

func (c *cli) signingSwitchCmd(verb, short string, change func(*store.DB, context.Context, string) error, state string) *cobra.Command {
	var account string
	cmd := &cobra.Command{
		Use:   verb + " --account ID",
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withAccount(cmd.Context(), &account, func(db *store.DB) error {
				if err := change(db, cmd.Context(), account); err != nil {
					return err
				}
				c.printf("request signing is %s for %s\n", state, account)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account's id, or its name")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}
