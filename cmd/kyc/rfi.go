package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

// The reviewer's side of RFIs, in any environment: what the sandbox endpoints let a
// platform play at, a compliance team does here.

func (c *cli) rfiCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "rfi", Short: "Raise, list and review requests for information (RFI)"}
	cmd.AddCommand(c.rfiCreateCmd(), c.rfiListCmd(), c.rfiReviewCmd())
	return cmd
}

func (c *cli) rfiCreateCmd() *cobra.Command {
	var profile, file string
	var days int
	cmd := &cobra.Command{
		Use:   "create --profile ID --file questions.json [--expiry-days N]",
		Short: "Raise an RFI on a profile (the body of the sandbox endpoint)",
		Long: "Raise an RFI on a profile: the file holds the body of the sandbox endpoint,\n" +
			`{"data":{"attributes":{"questions":[{"text":"…","type":"TEXT|DOC|CHECKBOX","required":true,"options":[…]}],"expiryDays":N}}}` + "\n" +
			"(- reads standard input). Without expiryDays or --expiry-days the customer has 14 days while the\n" +
			"profile is pending, 30 after. The profile's account is found from its id.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := readInput(cmd, file, 1<<20)
			if err != nil {
				return err
			}
			req, err := kyc.DecodeRFIRequest(body)
			if err != nil {
				return err
			}
			if days < 0 || days > kyc.MaxRFIExpiryDays {
				return fmt.Errorf("--expiry-days must be 1 to %d", kyc.MaxRFIExpiryDays)
			}
			if days > 0 {
				req.ExpiryDays = days
			}
			return c.withAudit(cmd.Context(), c.operator(), kyc.AuditRFICreate, []string{profile}, func(ctx context.Context, db *store.DB) error {
				p, err := db.FindProfileAnyAccount(ctx, profile)
				if err != nil {
					return err
				}
				r, err := db.CreateRFI(ctx, p.AccountID, p.ID, req, kyc.DefaultRFIExpiryDays)
				if err != nil {
					return err
				}
				c.printf("%s sent for %s; expires %s\n", r.ID, r.ProfileID, r.ExpiresAt.Format(time.RFC3339))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&profile, "profile", "", "the profile's id")
	cmd.Flags().StringVar(&file, "file", "", "the questions, as the sandbox endpoint's body (- for standard input)")
	cmd.Flags().IntVar(&days, "expiry-days", 0, "days to answer, overriding the file's expiryDays")
	_ = cmd.MarkFlagRequired("profile")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

func (c *cli) rfiListCmd() *cobra.Command {
	var profile string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list --profile ID",
		Short: "List a profile's RFIs, newest first: id, status, questions accepted/total, expiry",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withAudit(cmd.Context(), c.operator(), kyc.AuditRFIList, []string{profile}, func(ctx context.Context, db *store.DB) error {
				p, err := db.FindProfileAnyAccount(ctx, profile)
				if err != nil {
					return err
				}
				all, err := db.FindRFIs(ctx, p.AccountID, p.ID)
				if err != nil {
					return err
				}
				list := kyc.NewRFIList(all, "", db.Now(), true)
				if asJSON {
					return c.printJSON(list)
				}
				for _, r := range list.Data {
					pr := r.Attributes.Progress
					c.printf("%s\t%s\t%d/%d\t%s\n", r.ID, r.Attributes.Active.Status, pr.AcceptedQuestions, pr.TotalQuestions,
						pr.ExpiryDate.Format(time.RFC3339))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&profile, "profile", "", "the profile's id")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the list as the API does, document links shown")
	_ = cmd.MarkFlagRequired("profile")
	return cmd
}

func (c *cli) rfiReviewCmd() *cobra.Command {
	var accept []int
	var rejects []string
	var reviewer string
	cmd := &cobra.Command{
		Use:   "review RFI_ID --reviewer NAME [--accept QID]... [--reject QID=REASON]...",
		Short: "Accept or reject the submitted answers of an RFI",
		Long: "Accept or reject the submitted answers of a received RFI. A rejected answer sends the RFI\n" +
			"back to the customer (status sent) for that question, with a new period to answer in; once\n" +
			"every answer is accepted the RFI is completed, and its profile can be verified.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reject, err := parseRejects(rejects)
			if err != nil {
				return err
			}
			if strings.TrimSpace(reviewer) == "" || len(accept)+len(reject) == 0 {
				return fmt.Errorf("--reviewer must name you, and at least one --accept or --reject is needed")
			}
			actor := kyc.AuditActor{Type: kyc.AuditByReviewer, ID: strings.TrimSpace(reviewer)}
			return c.withAudit(cmd.Context(), actor, kyc.AuditRFITransition, args, func(ctx context.Context, db *store.DB) error {
				r, err := db.ReviewRFI(ctx, args[0], accept, reject, strings.TrimSpace(reviewer))
				if err != nil {
					return err
				}
				c.printf("%s is now %s\n", r.ID, r.Status)
				return nil
			})
		},
	}
	cmd.Flags().IntSliceVar(&accept, "accept", nil, "a question id whose answer is accepted (repeat, or separate with commas)")
	cmd.Flags().StringArrayVar(&rejects, "reject", nil, "QID=REASON: a question whose answer is rejected, and why (repeat)")
	cmd.Flags().StringVar(&reviewer, "reviewer", "", "your name")
	_ = cmd.MarkFlagRequired("reviewer")
	return cmd
}

// parseRejects reads --reject QID=REASON values; a reason is shown to the customer, so it
// must be 1 to 255 characters on one line.
func parseRejects(values []string) (map[int]string, error) {
	out := map[int]string{}
	for _, v := range values {
		id, reason, ok := strings.Cut(v, "=")
		n, err := strconv.Atoi(id)
		reason = strings.TrimSpace(reason)
		if !ok || err != nil || reason == "" || len(reason) > 255 || strings.ContainsAny(reason, "\r\n") {
			return nil, fmt.Errorf("--reject %q: want QUESTION_ID=REASON, the reason 1 to 255 characters on one line", v)
		}
		out[n] = reason
	}
	return out, nil
}
