package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) profileCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "profile", Short: "Work on customer profiles (review decisions, legal holds, erasure)"}
	cmd.AddCommand(c.profileReviewCmd(), c.profileHoldCmd(), c.profileReleaseCmd(), c.profileEraseCmd())
	return cmd
}

// reviewFlags are the flags of kyc profile review.
type reviewFlags struct {
	status, reviewer, retryable, summary string
	reasons                              []int
	asJSON                               bool
}

func (c *cli) profileReviewCmd() *cobra.Command {
	var f reviewFlags
	cmd := &cobra.Command{
		Use:   "review PROFILE_ID --status verified|rejected --reviewer NAME [--reason CODE]...",
		Short: "Decide a profile's review, in any environment, recorded under the reviewer's name",
		Long: "Decide a profile's review: pending → verified or rejected, or verified → rejected.\n" +
			"The decision goes through the same rules as the sandbox status endpoint, and is recorded in\n" +
			"the profile's history with the reviewer's name. The profile's account is found from its id.\n\n" +
			"Rejection codes:\n" + rejectionCodesHelp(),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := f.decision()
			if err != nil {
				return err
			}
			actor := kyc.AuditActor{Type: kyc.AuditByReviewer, ID: strings.TrimSpace(f.reviewer)}
			return c.withAudit(cmd.Context(), actor, kyc.AuditProfileDecide, args, func(ctx context.Context, db *store.DB) error {
				return c.review(ctx, db, args[0], d, f)
			})
		},
	}
	cmd.Flags().StringVar(&f.status, "status", "", "the decision: verified or rejected")
	cmd.Flags().StringVar(&f.reviewer, "reviewer", "", "your name, recorded in the profile's history")
	cmd.Flags().IntSliceVar(&f.reasons, "reason", nil, "a rejection code (repeat the flag, or separate codes with commas)")
	cmd.Flags().StringVar(&f.retryable, "retryable", "auto", "whether the customer may resubmit: auto (from the codes), true or false")
	cmd.Flags().StringVar(&f.summary, "summary", "", "the rejection summary shown to the customer (default: the codes' messages)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the profile document")
	_ = cmd.MarkFlagRequired("status")
	_ = cmd.MarkFlagRequired("reviewer")
	return cmd
}

func (f reviewFlags) decision() (kyc.Decision, error) {
	if strings.TrimSpace(f.reviewer) == "" {
		return kyc.Decision{}, fmt.Errorf("--reviewer must name you")
	}
	d := kyc.Decision{Status: kyc.Status(f.status), Codes: f.reasons, Summary: f.summary}
	if f.retryable != "auto" {
		b, err := strconv.ParseBool(f.retryable)
		if err != nil {
			return d, fmt.Errorf("--retryable must be auto, true or false")
		}
		d.Retryable = &b
	}
	return d, nil
}

func (c *cli) review(ctx context.Context, db *store.DB, id string, d kyc.Decision, f reviewFlags) error {
	p, err := db.FindProfileAnyAccount(ctx, id)
	if err != nil {
		return err
	}
	actor := kyc.Actor{Type: kyc.ActorReviewer, Name: strings.TrimSpace(f.reviewer)}
	p, err = db.DecideProfile(ctx, p.AccountID, id, d, actor)
	if err != nil {
		return err
	}
	if f.asJSON {
		return c.printJSON(kyc.NewDocument(p, nil))
	}
	c.printf("%s is now %s (version %d)\n", p.ID, p.Status, p.Version)
	if r := p.Rejection; r != nil {
		c.printf("retryable: %v\nsummary: %s\n", r.Retryable, r.Summary)
	}
	return nil
}

func rejectionCodesHelp() string {
	var b strings.Builder
	for _, r := range kyc.RejectionReasons() {
		retry := ""
		if !r.Retryable {
			retry = " (not retryable)"
		}
		fmt.Fprintf(&b, "  %d  %s%s\n", r.Code, r.Reason, retry)
	}
	return b.String()
}
