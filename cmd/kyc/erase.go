package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

const retentionUsage = "how long personal data is kept after a profile's relationship closed before it may be erased: " +
	"years (5y), days (30d) or a duration (720h); serve and profile erase read the same setting"

func (c *cli) profileHoldCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "hold PROFILE_ID --reason TEXT",
		Short: "Set a legal hold on a profile: it cannot be erased, forced or not, until released",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(reason) == "" || len(reason) > 1000 {
				return fmt.Errorf("--reason must say why, in at most 1000 bytes")
			}
			return c.withAudit(cmd.Context(), c.operator(), kyc.AuditProfileHold, args, func(ctx context.Context, db *store.DB) error {
				p, err := db.HoldProfile(ctx, args[0], strings.TrimSpace(reason))
				if err == nil {
					c.printf("%s is under a legal hold since %s\n", p.ID, p.Hold.At.Format(time.RFC3339))
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the profile must be kept (a case or order reference; no personal data)")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

func (c *cli) profileReleaseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "release PROFILE_ID",
		Short: "Lift a profile's legal hold",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withAudit(cmd.Context(), c.operator(), kyc.AuditProfileRelease, args, func(ctx context.Context, db *store.DB) error {
				p, err := db.ReleaseProfile(ctx, args[0])
				if err == nil {
					c.printf("%s has no legal hold\n", p.ID)
				}
				return err
			})
		},
	}
}

func (c *cli) profileEraseCmd() *cobra.Command {
	var reason, retention string
	var force bool
	cmd := &cobra.Command{
		Use:   "erase PROFILE_ID --reason TEXT [--force]",
		Short: "Erase a profile's personal data, leaving its tombstone",
		Long: "erase clears every personal data member of a profile, its RFI answers and the bodies of its\n" +
			"webhook events, and drops the events not yet delivered; the tombstone keeps its id, kind, status\n" +
			"history, timestamps and the registration id's lookup key. It is allowed once the profile's\n" +
			"relationship was closed and --retention has passed since, and never while a legal hold is set.\n" +
			"--force erases earlier (closed or not), recorded with your reason and name.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := kyc.ParseRetention(retention)
			if err != nil {
				return fmt.Errorf("--retention: %w", err)
			}
			if strings.TrimSpace(reason) == "" || len(reason) > 1000 {
				return fmt.Errorf("--reason must say why, in at most 1000 bytes")
			}
			op := c.operator()
			req := kyc.ErasureRequest{Retention: r,
				Erasure: kyc.Erasure{Forced: force, Reason: strings.TrimSpace(reason), By: op.ID}}
			return c.withAudit(cmd.Context(), op, kyc.AuditProfileErase, args, func(ctx context.Context, db *store.DB) error {
				p, err := db.EraseProfile(ctx, "", args[0], req)
				if err == nil {
					c.printf("%s erased at %s\n", p.ID, p.ErasedAt.Format(time.RFC3339))
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the profile is erased (recorded with the erasure; no personal data)")
	cmd.Flags().BoolVar(&force, "force", false, "erase before the retention period ends (not while a legal hold is set)")
	cmd.Flags().StringVar(&retention, "retention", kyc.DefaultRetention.String(), retentionUsage)
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}
