package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/keys"
	"github.com/openkyc/kyc/internal/server"
	"github.com/openkyc/kyc/internal/store"
)

// checkKEK refuses to serve without an explicit key-encryption key where the sandbox's key
// file beside the database cannot stand in: in production, and on PostgreSQL (several
// instances, maybe on several machines, must share one key).
func (c *cli) checkKEK(env string) error {
	if c.dbOpts.Keys.KEK != "" {
		return nil
	}
	if env == server.Production {
		return errors.New("production needs --kek (the key-encryption key's URL; README: Protecting personal data)")
	}
	if _, ok := store.SQLiteFile(c.dsn); !ok {
		return errors.New("PostgreSQL needs --kek, the same for every instance (e.g. keyfile:/etc/kyc/kyc.kek, made at first start; README: Protecting personal data)")
	}
	return nil
}

func (c *cli) keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage the keys of encryption at rest",
		Long: "Personal data is sealed under a data key per profile; data keys are wrapped by the\n" +
			"key-encryption key (--kek) and kept in the key store (--key-db), apart from the data.",
	}
	cmd.AddCommand(c.keysNewCmd(), c.keysRotateCmd(), c.keysEncryptCmd(), c.keysStatusCmd())
	return cmd
}

func (c *cli) keysNewCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "new",
		Short: "Print a new random local key-encryption key as a base64key:// URL",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			u, err := keys.NewLocalURL()
			if err != nil {
				return err
			}
			c.printf("%s\n", u)
			return nil
		},
	}
}

func (c *cli) keysRotateCmd() *cobra.Command {
	var newKEK string
	var batch int
	cmd := &cobra.Command{
		Use:   "rotate --new-kek URL",
		Short: "Re-wrap every data key under a new key-encryption key (online, resumable)",
		Long: "rotate re-wraps every data key, batch by batch, under --new-kek; --kek (and --kek-previous)\n" +
			"must open the keys as they are. Servers keep running meanwhile if they know both keys:\n" +
			"restart them with --kek NEW --kek-previous OLD first. Stopped, it resumes when run again.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if newKEK == "" || batch < 1 || batch > 10_000 {
				return errors.New("rotate needs --new-kek, and --batch from 1 to 10000")
			}
			return c.withKeys(cmd.Context(), func(db *store.DB) error {
				return audited(cmd.Context(), db, c.operator(), kyc.AuditKeysRotate, nil, func(ctx context.Context, db *store.DB) error {
					err := db.RotateKeys(ctx, newKEK, batch, c.progress)
					if err == nil {
						c.printf("every data key is wrapped by the new key-encryption key: serve with --kek NEW and drop --kek-previous\n")
					}
					return err
				})
			})
		},
	}
	cmd.Flags().StringVar(&newKEK, "new-kek", "", "URL of the new key-encryption key (keyfile:PATH is made when missing)")
	cmd.Flags().IntVar(&batch, "batch", 500, "data keys re-wrapped per transaction")
	return cmd
}

func (c *cli) keysEncryptCmd() *cobra.Command {
	var batch int
	cmd := &cobra.Command{
		Use:   "encrypt",
		Short: "Seal the personal data still in clear (a database from before encryption; online, resumable)",
		Long: "encrypt seals, batch by batch, every value still in clear and replaces clear registration\n" +
			"ids by their keyed hashes. Servers keep running meanwhile (they read both); serve also runs it\n" +
			"in the background at start when it finds clear values. Stopped, it resumes when run again.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if batch < 1 || batch > 10_000 {
				return errors.New("--batch must be 1 to 10000")
			}
			return c.withKeys(cmd.Context(), func(db *store.DB) error {
				return audited(cmd.Context(), db, c.operator(), kyc.AuditKeysEncrypt, nil, func(ctx context.Context, db *store.DB) error {
					if err := db.Encrypt(ctx, batch, c.progress); err != nil {
						return err
					}
					c.printf("no personal data is left in clear\n")
					return nil
				})
			})
		},
	}
	cmd.Flags().IntVar(&batch, "batch", 500, "rows sealed per transaction")
	return cmd
}

func (c *cli) keysStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Count the data keys per key-encryption key and the values still in clear",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withKeys(cmd.Context(), func(db *store.DB) error {
				current, counts, err := db.KeysByKEK(cmd.Context())
				if err != nil {
					return err
				}
				for _, id := range sortedKeys(counts) {
					mark := ""
					if id == current {
						mark = " (--kek)"
					}
					c.printf("kek %s%s: %d keys\n", id, mark, counts[id])
				}
				clear, err := db.ClearValues(cmd.Context())
				if err != nil {
					return err
				}
				for _, col := range sortedKeys(clear) {
					c.printf("in clear %s: %d\n", col, clear[col])
				}
				return nil
			})
		},
	}
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// withKeys runs fn with the database of --db opened with its keys.
func (c *cli) withKeys(ctx context.Context, fn func(*store.DB) error) error {
	return c.withStore(ctx, func(db *store.DB) error {
		if !db.Encrypted() {
			return store.ErrNoKEK
		}
		return fn(db)
	})
}

// progress reports a long job's advance on standard error.
func (c *cli) progress(p store.Progress) {
	fmt.Fprintf(c.stderr, "kyc: %s: %d of %d\n", p.Step, p.Done, p.Total)
}

// encryptInBackground seals the values a database from before encryption holds in clear,
// while the server serves them (it reads both); another instance doing the same at once
// only repeats work. The audit log records it as the system's keys.encrypt, with what it
// sealed.
func encryptInBackground(ctx context.Context, db *store.DB, log *slog.Logger) {
	log.Info("sealing the personal data still in clear (kyc keys encrypt)")
	actor := kyc.AuditActor{Type: kyc.AuditBySystem, ID: "serve"}
	err := audited(ctx, db, actor, kyc.AuditKeysEncrypt, nil, func(ctx context.Context, db *store.DB) error {
		return db.Encrypt(ctx, 500, func(p store.Progress) {
			log.Info("sealing", "column", p.Step, "done", p.Done, "total", p.Total)
		})
	})
	if err != nil && ctx.Err() == nil {
		log.Error("sealing stopped: kyc keys encrypt resumes it", "err", err)
		return
	}
	if err == nil {
		log.Info("no personal data is left in clear")
	}
}
