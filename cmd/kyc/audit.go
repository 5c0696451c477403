package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/user"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) auditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Check and export the audit log"}
	cmd.AddCommand(c.auditVerifyCmd(), c.auditExportCmd())
	return cmd
}

func (c *cli) auditVerifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Check the audit log's hash chain from its first record to its head",
		Long: "verify reads every record of the audit log in order and checks that each one follows the\n" +
			"one before (no record missing), holds the hash of the one before, and matches its own hash;\n" +
			"and that the last one is the head the log keeps. It names the first record at fault and exits\n" +
			"with status 1; records appended while it runs are left for the next check.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				n, err := db.VerifyAudit(cmd.Context())
				if err != nil {
					return err
				}
				c.printf("audit log intact: %d records\n", n)
				return nil
			})
		},
	}
}

func (c *cli) auditExportCmd() *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "export [--from TIME] [--to TIME]",
		Short: "Write the audit records of a period as JSON lines, oldest first",
		Long: "export writes each audit record with from ≤ at < to as one line of JSON on standard output,\n" +
			"in the order of the chain, each with its hashes, so that a regulator can check the chain of\n" +
			"what they receive. Times are RFC 3339 (2026-01-31T00:00:00Z) or dates (2026-01-31, midnight UTC).\n" +
			"The export is itself recorded in the log.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var q store.AuditQuery
			var err error
			if q.From, err = parseWhen("--from", from); err != nil {
				return err
			}
			if q.To, err = parseWhen("--to", to); err != nil {
				return err
			}
			return c.withAudit(cmd.Context(), c.operator(), kyc.AuditLogExport, nil, func(ctx context.Context, db *store.DB) error {
				enc := json.NewEncoder(c.stdout)
				return db.EachAuditRecord(ctx, q, func(r *kyc.AuditRecord) error { return enc.Encode(r) })
			})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the first time exported (default: the log's beginning)")
	cmd.Flags().StringVar(&to, "to", "", "the time the export ends before (default: now)")
	return cmd
}

func parseWhen(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		t, err = time.Parse(time.DateOnly, v)
	}
	if err != nil {
		return t, fmt.Errorf("%s %q: an RFC 3339 time (2026-01-31T00:00:00Z) or a date (2026-01-31)", flag, v)
	}
	return t, nil
}

// operator is the audit log's actor for a command: --operator, or else the user running it.
func (c *cli) operator() kyc.AuditActor {
	name := strings.TrimSpace(c.operatorName)
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	if name == "" {
		name = "unknown"
	}
	return kyc.AuditActor{Type: kyc.AuditByOperator, ID: name}
}

// withAudit runs fn, an action of the command line on personal data, with the database
// (withStore) and its audit record in the context: the first write of fn appends it in its
// transaction; otherwise it is appended when fn returns, with fn's outcome.
func (c *cli) withAudit(ctx context.Context, actor kyc.AuditActor, action string, targets []string,
	fn func(ctx context.Context, db *store.DB) error) error {
	return c.withStore(ctx, func(db *store.DB) error {
		return audited(ctx, db, actor, action, targets, fn)
	})
}

func audited(ctx context.Context, db *store.DB, actor kyc.AuditActor, action string, targets []string,
	fn func(ctx context.Context, db *store.DB) error) error {
	ctx = store.WithAudit(ctx, store.NewAudit(actor, action, "", targets...))
	err := fn(ctx, db)
	if aerr := db.FinishAudit(ctx, store.AuditOutcome(err)); err == nil {
		return aerr
	}
	return err
}
