package main

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/screening"
	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) listsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "lists", Short: "Manage the sanctions lists that names are screened against"}
	cmd.AddCommand(c.listsImportCmd(), c.listsStatusCmd(), c.listsUpdateCmd())
	return cmd
}

func (c *cli) listsImportCmd() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "import --source ofac|un|custom PATH...",
		Short: "Import a list file (OFAC: the directory of the SDN CSV set, or its files) as a new snapshot",
		Long: "import reads a list and stores it as the next version of its source, all or nothing. A file\n" +
			"identical to the active snapshot (same SHA-256) makes no new version. A malformed file is\n" +
			"refused with the line or element at fault.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			src, err := screening.ParseSource(source)
			if err != nil {
				return err
			}
			l, err := screening.ReadFiles(src, paths)
			if err != nil {
				return err
			}
			return c.withStore(cmd.Context(), func(db *store.DB) error { return c.importList(cmd.Context(), db, l) })
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "the list's source: ofac, un or custom")
	_ = cmd.MarkFlagRequired("source")
	return cmd
}

// importList stores l and says what became of it.
func (c *cli) importList(ctx context.Context, db *store.DB, l *screening.List) error {
	snap, created, err := db.ImportList(ctx, l)
	if err != nil {
		return err
	}
	if !created {
		c.printf("%s: unchanged, version %d stays active (sha256 %s)\n", snap.Source, snap.Version, snap.SHA256)
		return nil
	}
	c.printf("%s: version %d imported, %d entries, %d aliases (sha256 %s)\n",
		snap.Source, snap.Version, snap.Entries, snap.Aliases, snap.SHA256)
	return nil
}

func (c *cli) listsStatusCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the active snapshot of each list and the progress of the re-screening",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				snaps, err := db.FindActiveLists(cmd.Context())
				switch {
				case err != nil:
					return err
				case asJSON:
					return c.printJSON(snaps)
				}
				c.printSnapshots(snaps)
				progress, err := db.FindRescreenProgress(cmd.Context())
				if err != nil {
					return err
				}
				c.printRescreen(progress)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func (c *cli) printSnapshots(snaps []kyc.ListSnapshot) {
	if len(snaps) == 0 {
		c.printf("no list imported yet: see kyc lists import and kyc lists update\n")
		return
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tVERSION\tPUBLISHED\tIMPORTED\tENTRIES\tALIASES\tSHA-256")
	for _, s := range snaps {
		published := "-"
		if s.Published != nil {
			published = s.Published.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%s\n", s.Source, s.Version, published,
			s.ImportedAt.Format(time.RFC3339), s.Entries, s.Aliases, s.SHA256[:16]+"…")
	}
	tw.Flush()
}

// printRescreen prints the progress of the latest re-screening of every profile.
func (c *cli) printRescreen(p *kyc.RescreenProgress) {
	switch {
	case p == nil:
		c.printf("re-screening: none yet (kyc serve re-screens every profile after a list changes)\n")
	case p.FinishedAt == nil:
		c.printf("re-screening: running, %d of %d profiles, %d alert(s), started %s\n",
			p.Screened, p.Total, p.Alerts, p.StartedAt.Format(time.RFC3339))
	default:
		c.printf("re-screening: finished %s, %d profiles, %d alert(s)\n", p.FinishedAt.Format(time.RFC3339), p.Screened, p.Alerts)
	}
}

// listURLs are the flags naming where lists are downloaded from.
type listURLs struct{ ofac, un string }

func (u *listURLs) register(fl *pflag.FlagSet) {
	fl.StringVar(&u.ofac, "ofac-url", screening.DefaultOFACURL, "base URL of OFAC's SDN CSV files (sdn.csv, alt.csv, add.csv, sdn_comments.csv)")
	fl.StringVar(&u.un, "un-url", screening.DefaultUNURL, "URL of the UN Security Council consolidated list (XML)")
}

func (u *listURLs) downloader() *screening.Downloader {
	return &screening.Downloader{OFACURL: u.ofac, UNURL: u.un}
}

func (c *cli) listsUpdateCmd() *cobra.Command {
	var urls listURLs
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download the current OFAC and UN lists from their publishers and import them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				d := urls.downloader()
				for _, src := range screening.Downloadable {
					l, err := d.Download(cmd.Context(), src)
					if err != nil {
						return err
					}
					if err := c.importList(cmd.Context(), db, l); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	urls.register(cmd.Flags())
	return cmd
}

// refreshLists downloads and imports every downloadable list now and then every interval,
// until ctx ends. A failure is logged and tried again at the next tick: the active
// snapshots stay as they were.
func refreshLists(ctx context.Context, db *store.DB, d *screening.Downloader, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, src := range screening.Downloadable {
			if err := refreshList(ctx, db, d, src, log); err != nil && ctx.Err() == nil {
				log.Warn("list refresh failed", "source", src, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func refreshList(ctx context.Context, db *store.DB, d *screening.Downloader, src screening.Source, log *slog.Logger) error {
	l, err := d.Download(ctx, src)
	if err != nil {
		return err
	}
	snap, created, err := db.ImportList(ctx, l)
	if err != nil {
		return err
	}
	log.Info("list refreshed", "source", src, "version", snap.Version, "new", created, "entries", snap.Entries)
	return nil
}
