package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

const limitsPolicyUsage = "JSON file of transaction limit tiers replacing the built-in policy (see README)"

func loadLimitsPolicy(path string) (*kyc.LimitsPolicy, error) {
	if path == "" {
		return kyc.DefaultLimitsPolicy(), nil
	}
	return kyc.LoadLimitsPolicy(path)
}

func (c *cli) limitsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "limits", Short: "Review transaction limits update requests"}
	cmd.AddCommand(c.limitsReviewCmd())
	return cmd
}

func (c *cli) limitsReviewCmd() *cobra.Command {
	var approve, policy string
	var reject bool
	cmd := &cobra.Command{
		Use:   "review REQUEST_ID (--approve AMOUNT | --reject)",
		Short: "Approve a pending transaction limits update request with the limit granted, or reject it",
		Long: "Approve a pending transaction limits update request, granting a limit in US dollars (a decimal\n" +
			"string: the profile's payment and payout totals, per year for a personal profile and per day for a\n" +
			"business one, become at least that), or reject it. The profile's account is found from the\n" +
			"request's id; the webhook events are made as for the sandbox endpoint.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := limitDecision(approve, reject)
			if err != nil {
				return err
			}
			limits, err := loadLimitsPolicy(policy)
			if err != nil {
				return err
			}
			return c.withAudit(cmd.Context(), c.operator(), kyc.AuditLimitDecide, args, func(ctx context.Context, db *store.DB) error {
				r, err := db.DecideLimitRequestAnyAccount(ctx, args[0], d, limits)
				if err != nil {
					return err
				}
				c.printf("%s is now %s\n", r.ID, r.Status)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&approve, "approve", "", "approve, granting this limit in US dollars")
	cmd.Flags().BoolVar(&reject, "reject", false, "reject the request")
	cmd.Flags().StringVar(&policy, "limits-policy", "", limitsPolicyUsage)
	return cmd
}

func limitDecision(approve string, reject bool) (kyc.LimitDecision, error) {
	if (approve == "") == !reject {
		return kyc.LimitDecision{}, fmt.Errorf("exactly one of --approve AMOUNT and --reject")
	}
	if reject {
		return kyc.LimitDecision{Status: kyc.LimitRequestRejected}, nil
	}
	a, ok := kyc.ParseAmount(approve)
	if !ok || a == 0 {
		return kyc.LimitDecision{}, fmt.Errorf("--approve %q: a positive amount of US dollars, at most 6 decimals", approve)
	}
	return kyc.LimitDecision{Status: kyc.LimitRequestApproved, Granted: a}, nil
}
