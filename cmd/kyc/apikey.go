package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) apikeyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "apikey", Short: "Manage API keys (shown once, stored only as a hash)"}
	cmd.AddCommand(c.apikeyCreateCmd(), c.apikeyListCmd(), c.apikeyRevokeCmd())
	return cmd
}

func (c *cli) apikeyCreateCmd() *cobra.Command {
	var account, name string
	var expiresIn time.Duration
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create --account ID|NAME",
		Short: "Create an API key for an account and print it (only this once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if expiresIn < 0 {
				return fmt.Errorf("--expires-in must not be negative")
			}
			var expires *time.Time
			if expiresIn > 0 {
				t := time.Now().Add(expiresIn).UTC()
				expires = &t
			}
			return c.withAccount(cmd.Context(), &account, func(db *store.DB) error {
				secret, key, err := db.CreateAPIKey(cmd.Context(), account, name, expires)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(map[string]any{"accountId": account, "apiKeyId": key.ID, "apiKey": secret, "expiresAt": key.ExpiresAt})
				}
				c.printf("api key %s, shown only this once:\n\n    %s\n\n", key.ID, secret)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account's id, or its name")
	cmd.Flags().StringVar(&name, "name", "", "a name to tell the key apart")
	cmd.Flags().DurationVar(&expiresIn, "expires-in", 0, "expire the key after this long, e.g. 4380h for six months (0: never)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

func (c *cli) apikeyListCmd() *cobra.Command {
	var account string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list --account ID",
		Short: "List an account's API keys (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withAccount(cmd.Context(), &account, func(db *store.DB) error {
				keys, err := db.FindAPIKeys(cmd.Context(), account)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(keys)
				}
				for _, k := range keys {
					c.printf("%s\t%s…\t%s\t%s\n", k.ID, k.Hint, keyState(&k), k.Name)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account's id, or its name")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

func keyState(k *kyc.APIKey) string {
	switch {
	case k.RevokedAt != nil:
		return "revoked " + k.RevokedAt.UTC().Format(time.RFC3339)
	case k.ExpiresAt != nil && !k.Active(time.Now()):
		return "expired " + k.ExpiresAt.UTC().Format(time.RFC3339)
	case k.ExpiresAt != nil:
		return "active until " + k.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return "active"
}

func (c *cli) apikeyRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke KEY_ID",
		Short: "Revoke an API key: requests made with it are refused from now on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				if err := db.RevokeAPIKey(cmd.Context(), args[0]); err != nil {
					return err
				}
				c.printf("revoked %s\n", args[0])
				return nil
			})
		},
	}
}
