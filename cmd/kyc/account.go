package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) accountCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "account", Short: "Manage accounts (the platforms that call the API)"}
	cmd.AddCommand(c.accountCreateCmd(), c.accountUpdateCmd(), c.accountListCmd(), c.accountGetCmd())
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
					c.printf("%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, a.Model, a.CreatedAt.UTC().Format(time.RFC3339),
						rateOrDefault(&a), burstOrDefault(&a))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (c *cli) accountUpdateCmd() *cobra.Command {
	var model, rate string
	var burst int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "update ACCOUNT_ID [--model cp|cp_plus] [--rate-limit N/s|N/m|N/h|default] [--burst N]",
		Short: "Change an account's integration model (its existing profiles keep their kind) or its rate limit",
		Long: "update changes what its flags name and leaves the rest. --rate-limit sets the account's own\n" +
			"sustained rate (default: the server's --rate-limit again); --burst the requests it may send at\n" +
			"once (0: the server's --rate-burst, or one period's count when the account has its own rate).\n" +
			"A running server applies them from the account's next request.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			if !fl.Changed("model") && !fl.Changed("rate-limit") && !fl.Changed("burst") {
				return fmt.Errorf("nothing to change: give --model, --rate-limit or --burst")
			}
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				acct, err := c.updateAccount(cmd, db, args[0], model, rate, burst)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(acct)
				}
				c.printf("account %s (%s): model %s, rate limit %s, burst %s\n", acct.ID, acct.Name, acct.Model,
					rateOrDefault(acct), burstOrDefault(acct))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "the integration model: cp_plus or cp")
	cmd.Flags().StringVar(&rate, "rate-limit", "", "the account's own rate limit: N/s, N/m or N/h; default for the server's")
	cmd.Flags().IntVar(&burst, "burst", 0, fmt.Sprintf("requests the account may send at once, 1 to %d; 0 for the default", kyc.MaxBurst))
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the account as JSON")
	return cmd
}

// updateAccount applies the flags that were given, each checked before anything changes.
func (c *cli) updateAccount(cmd *cobra.Command, db *store.DB, id, model, rate string, burst int) (*kyc.Account, error) {
	ctx, fl := cmd.Context(), cmd.Flags()
	acct, err := db.FindAccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	var m kyc.Model
	if fl.Changed("model") {
		if m, err = kyc.ParseModel(model); err != nil {
			return nil, err
		}
	}
	limit, b := acct.RateLimit, acct.Burst
	if fl.Changed("rate-limit") {
		if limit, err = parseAccountRate(rate); err != nil {
			return nil, err
		}
	}
	if fl.Changed("burst") {
		if burst < 0 || burst > kyc.MaxBurst {
			return nil, fmt.Errorf("--burst must be 0 (the default) to %d, not %d", kyc.MaxBurst, burst)
		}
		b = burst
	}
	if fl.Changed("model") {
		if acct, err = db.UpdateAccountModel(ctx, id, m); err != nil {
			return nil, err
		}
	}
	if fl.Changed("rate-limit") || fl.Changed("burst") {
		acct, err = db.UpdateAccountRateLimit(ctx, id, limit, b)
	}
	return acct, err
}

// parseAccountRate reads --rate-limit: a rate, or "default" for none of the account's own.
func parseAccountRate(s string) (*kyc.Rate, error) {
	if s == "default" {
		return nil, nil
	}
	r, err := kyc.ParseRate(s)
	if err != nil {
		return nil, fmt.Errorf("--rate-limit: %w, or default", err)
	}
	return &r, nil
}

func (c *cli) accountGetCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "get ACCOUNT_ID",
		Short: "Show an account: model, signing, rate limit and burst",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				a, err := db.FindAccountByID(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(a)
				}
				c.printf("id:          %s\nname:        %s\nmodel:       %s\ncreated:     %s\nsigning:     %s\nrate limit:  %s\nburst:       %s\n",
					a.ID, a.Name, a.Model, a.CreatedAt.UTC().Format(time.RFC3339), onOff(a.SigningEnabled),
					rateOrDefault(a), burstOrDefault(a))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the account as JSON")
	return cmd
}

func rateOrDefault(a *kyc.Account) string {
	if a.RateLimit == nil {
		return "default"
	}
	return a.RateLimit.String()
}

func burstOrDefault(a *kyc.Account) string {
	if a.Burst == 0 {
		return "default"
	}
	return strconv.Itoa(a.Burst)
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
