package main

import (
	"encoding/json"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) accountCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "account", Short: "Manage accounts (the platforms that call the API)"}
	cmd.AddCommand(c.accountCreateCmd(), c.accountUpdateCmd(), c.accountListCmd())
	return cmd
}

func (c *cli) accountCreateCmd() *cobra.Command {
	var name, model string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create --name NAME [--model cp|cp_plus]",
		Short: "Create an account and its first API key, and print both (the key only this once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := kyc.ParseModel(model)
			if err != nil {
				return err
			}
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				acct, secret, key, err := db.CreateAccountWithKey(cmd.Context(), name, "first key", m)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(map[string]string{
						"accountId": acct.ID, "name": acct.Name, "model": string(acct.Model), "apiKeyId": key.ID, "apiKey": secret,
					})
				}
				c.printf("account %s (%s, model %s)\napi key %s, shown only this once:\n\n    %s\n\n", acct.ID, acct.Name, acct.Model, key.ID, secret)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the account's name (unique)")
	cmd.Flags().StringVar(&model, "model", string(kyc.ModelCPPlus), "the integration model: cp_plus (Customer Profile+, full KYC) or cp (regular Customer Profile)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func (c *cli) accountListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List accounts, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				accts, err := db.FindAccounts(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(accts)
				}
				for _, a := range accts {
					c.printf("%s\t%s\t%s\t%s\n", a.ID, a.Name, a.Model, a.CreatedAt.UTC().Format(time.RFC3339))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (c *cli) accountUpdateCmd() *cobra.Command {
	var model string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "update ACCOUNT_ID --model cp|cp_plus",
		Short: "Switch an account's integration model (its existing profiles keep their kind)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := kyc.ParseModel(model)
			if err != nil {
				return err
			}
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				acct, err := db.UpdateAccountModel(cmd.Context(), args[0], m)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(acct)
				}
				c.printf("account %s (%s) now uses the %s model\n", acct.ID, acct.Name, acct.Model)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "the integration model: cp_plus or cp")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the account as JSON")
	_ = cmd.MarkFlagRequired("model")
	return cmd
}

func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
