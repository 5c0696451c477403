package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) screeningCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "screening", Short: "Work on profiles' screening hits"}
	cmd.AddCommand(c.screeningResolveCmd())
	return cmd
}

// resolveFlags are the flags of kyc screening resolve.
type resolveFlags struct {
	hit, as, reason, reviewer, riskRules string
	asJSON                               bool
}

func (c *cli) screeningResolveCmd() *cobra.Command {
	var f resolveFlags
	cmd := &cobra.Command{
		Use:   "resolve PROFILE_ID --hit HIT_ID --as false_positive|true_match --reason TEXT --reviewer NAME",
		Short: "Resolve a hit of a profile's latest screening, recorded in its history under the reviewer's name",
		Long: "resolve records a reviewer's decision on a screening hit (the ids are in\n" +
			"GET /v1/kyc/customer_profiles/{id}/screening): false_positive (not the listed party) or\n" +
			"true_match. The resolution holds on later screenings while the subject's screened data and\n" +
			"the list entry stay the same. The profile is rated again with the risk rules of --risk-rules\n" +
			"(the built-in ones when not given: give serve's, KYC_RISK_RULES serves both).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rules, err := loadRiskRules(f.riskRules)
			if err != nil {
				return err
			}
			r := kyc.HitResolution{As: f.as, Reason: strings.TrimSpace(f.reason), By: strings.TrimSpace(f.reviewer)}
			actor := kyc.AuditActor{Type: kyc.AuditByReviewer, ID: r.By}
			return c.withAudit(cmd.Context(), actor, kyc.AuditScreeningDecide, args, func(ctx context.Context, db *store.DB) error {
				s, err := db.ResolveHit(ctx, args[0], f.hit, r, store.Assess{Rate: rules.RateProfile})
				if err != nil {
					return err
				}
				if f.asJSON {
					return c.printJSON(s)
				}
				unresolved, confirmed := s.Unresolved()
				c.printf("%s: hit %s resolved as %s; %d hit(s) unresolved, %d confirmed\n", s.ProfileID, f.hit, f.as, unresolved, confirmed)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.hit, "hit", "", "the hit's id (hit_…)")
	fl.StringVar(&f.as, "as", "", "the resolution: false_positive or true_match")
	fl.StringVar(&f.reason, "reason", "", "why, for the record (1 to 1000 characters)")
	fl.StringVar(&f.reviewer, "reviewer", "", "your name, recorded in the profile's history")
	fl.StringVar(&f.riskRules, "risk-rules", "", "YAML file of risk rules to rate the profile with (serve's --risk-rules)")
	fl.BoolVar(&f.asJSON, "json", false, "print the profile's screening")
	for _, name := range []string{"hit", "as", "reason", "reviewer"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}
