package main

import (
	"errors"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/console"
	"github.com/openkyc/kyc/internal/store"
)

// The review console's reviewers: people who sign in at /console/ with a password and a
// TOTP code, never with an API key.

func (c *cli) reviewerCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "reviewer", Short: "Manage the review console's reviewers (add, list, reinvite, disable)"}
	cmd.AddCommand(c.reviewerAddCmd(), c.reviewerListCmd(), c.reviewerReinviteCmd(), c.reviewerDisableCmd())
	return cmd
}

func (c *cli) reviewerAddCmd() *cobra.Command {
	var name, email, role, consoleURL string
	cmd := &cobra.Command{
		Use:   "add --name NAME --email EMAIL [--role reviewer|admin] [--console-url URL]",
		Short: "Invite a reviewer and print their one-time enrolment link (valid 72 hours, shown only this once)",
		Long: "Invite a reviewer: prints a one-time enrolment link, valid 72 hours, at which they choose a\n" +
			"password (at least 12 characters) and set up a TOTP second factor (required in production,\n" +
			"optional in sandbox). A reviewer decides profiles; an admin also manages reviewers in the console.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := kyc.ParseRole(role)
			if err != nil {
				return err
			}
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				token, rv, err := console.Invite(cmd.Context(), db, name, email, r, time.Now())
				if errors.Is(err, store.ErrReviewerExists) {
					return errors.New("a reviewer with that email exists")
				}
				if err != nil {
					return err
				}
				c.printEnrolLink(rv, "invited", consoleURL, token)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the reviewer's name, recorded with each of their decisions")
	cmd.Flags().StringVar(&email, "email", "", "the email they sign in with")
	cmd.Flags().StringVar(&role, "role", string(kyc.RoleReviewer), "reviewer (decides profiles) or admin (also manages reviewers)")
	consoleURLFlag(cmd, &consoleURL)
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

func (c *cli) reviewerReinviteCmd() *cobra.Command {
	var consoleURL string
	cmd := &cobra.Command{
		Use:   "reinvite EMAIL [--console-url URL]",
		Short: "Start a reviewer's enrolment again: a new one-time link (72 hours); their password, second factor and sessions end",
		Long: "Reinvite a reviewer who lost their TOTP device or password, whose link expired, or who was\n" +
			"disabled and comes back: prints a new one-time enrolment link, valid 72 hours. Their password\n" +
			"and second factor are cleared and their open sessions end at once; the old link stops working.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				token, rv, err := console.Reinvite(cmd.Context(), db, args[0], time.Now())
				if errors.Is(err, store.ErrNoReviewer) {
					return errors.New("no reviewer has that email")
				}
				if err != nil {
					return err
				}
				c.printEnrolLink(rv, "reinvited", consoleURL, token)
				return nil
			})
		},
	}
	consoleURLFlag(cmd, &consoleURL)
	return cmd
}

// printEnrolLink shows an enrolment link, the only time it is shown.
func (c *cli) printEnrolLink(rv *kyc.Reviewer, what, consoleURL, token string) {
	c.printf("reviewer %s (%s, %s) %s; enrolment link, shown only this once:\n\n    %s%s\n\n",
		rv.ID, rv.Name, rv.Role, what, strings.TrimSuffix(consoleURL, "/"), console.EnrolPath(token))
}

func consoleURLFlag(cmd *cobra.Command, consoleURL *string) {
	cmd.Flags().StringVar(consoleURL, "console-url", "http://127.0.0.1:8080", "the address reviewers reach kyc serve at, for the link")
}

func (c *cli) reviewerListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List reviewers, oldest first: id, name, email, role, status, second factor",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				all, err := db.FindReviewers(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(all)
				}
				for _, r := range all {
					totp := "no-totp"
					if r.TOTPEnabled {
						totp = "totp"
					}
					c.printf("%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Email, r.Role, r.Status, totp)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (c *cli) reviewerDisableCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "disable EMAIL",
		Short: "Disable a reviewer: they cannot sign in, and their open sessions end at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				rv, ended, err := db.DisableReviewer(cmd.Context(), args[0])
				if errors.Is(err, store.ErrNoReviewer) {
					return errors.New("no reviewer has that email")
				}
				if err != nil {
					return err
				}
				c.printf("%s disabled; %d session(s) ended\n", rv.ID, ended)
				return nil
			})
		},
	}
	return cmd
}
