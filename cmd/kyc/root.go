package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/openkyc/kyc/internal/store"
)

const envPrefix = "KYC_"

// cli holds what every subcommand shares: the output streams, the environment and the
// global flags.
type cli struct {
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
	dsn            string
	dbOpts         store.Options
	operatorName   string // --operator: who runs the command, for the audit log
}

func newRoot(lookupEnv func(string) (string, bool), stdout, stderr io.Writer) *cobra.Command {
	c := &cli{stdout: stdout, stderr: stderr, lookupEnv: lookupEnv}
	root := &cobra.Command{
		Use:   "kyc",
		Short: "A self-hosted StraitsX Customer Profile+ compatible KYC service",
		Long: "kyc runs and administers a KYC service that implements the StraitsX Customer Profile+ API.\n" +
			"Every flag can also be set through the environment variable shown beside it.",
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return c.applyEnv(cmd) },
		Version:           version(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&c.dsn, "db", "kyc.db",
		"database: a SQLite file path or sqlite:PATH (one instance), or a postgres://user@host:port/dbname URL (several instances)")
	pf.IntVar(&c.dbOpts.MaxConns, "db-max-conns", 0,
		"most database connections this process opens at once (0: 16); keep the sum over all instances below the server's max_connections")
	pf.DurationVar(&c.dbOpts.ConnTimeout, "db-conn-timeout", 0,
		"how long opening one PostgreSQL connection may take before the request gets a 503; 0: the URL's connect_timeout, or else 5s (SQLite ignores it)")
	pf.StringVar(&c.operatorName, "operator", "",
		"your name, recorded in the audit log as the operator of commands that read or change personal data (default: the user running kyc)")
	pf.StringVar(&c.dbOpts.Keys.KEK, "kek", "",
		"URL of the key-encryption key that wraps the data keys: base64key://, keyfile:PATH, hashivault://, awskms://, gcpkms:// or azurekeyvault:// (default on SQLite: the key file beside the database, e.g. kyc.kek, made by serve in sandbox)")
	pf.StringSliceVar(&c.dbOpts.Keys.PreviousKEKs, "kek-previous", nil,
		"URL of a former key-encryption key, accepted for reading while kyc keys rotate re-wraps its keys (repeatable; comma-separated in the environment)")
	pf.StringVar(&c.dbOpts.Keys.KeyDB, "key-db", "",
		"database of the wrapped data keys, apart from --db (default: beside the SQLite file, e.g. kyc.keys.db; on PostgreSQL the schema <schema>_keys)")
	root.AddCommand(c.serveCmd(), c.migrateCmd(), c.keysCmd(), c.accountCmd(), c.apikeyCmd(), c.profileCmd(), c.screeningCmd(),
		c.publickeyCmd(), c.signingCmd(), c.webhookCmd(), c.keygenCmd(), c.signCmd(), c.rfiCmd(), c.limitsCmd(),
		c.benchCmd(), c.listsCmd(), c.auditCmd(), c.reviewerCmd())
	// Operations: backups, container health checks, the build.
	root.AddCommand(c.backupCmd(), c.healthcheckCmd(), c.versionCmd())
	// Cobra would add the completion command only when it runs, after annotateEnv: make it
	// now, so that its flags show their environment twins too.
	root.InitDefaultCompletionCmd()
	annotateEnv(root)
	return root
}

// envName is a flag's environment twin: --shutdown-timeout is KYC_SHUTDOWN_TIMEOUT.
func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// cobraFlag reports whether a flag is one of cobra's own, --help and --version, which have
// no environment twin: KYC_VERSION=1 in an environment must not turn every command into
// printing the version.
func cobraFlag(name string) bool { return name == "help" || name == "version" }

// annotateEnv adds each flag's environment variable to its help text, on every command.
func annotateEnv(cmd *cobra.Command) {
	note := func(f *pflag.Flag) {
		if !cobraFlag(f.Name) && !strings.Contains(f.Usage, envPrefix) {
			f.Usage += " [$" + envName(f.Name) + "]"
		}
	}
	cmd.LocalNonPersistentFlags().VisitAll(note)
	cmd.PersistentFlags().VisitAll(note)
	for _, sub := range cmd.Commands() {
		annotateEnv(sub)
	}
}

// applyEnv sets every flag the command line left alone from its environment twin, so that
// a flag always wins over the environment, and the environment over the default.
func (c *cli) applyEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		v, ok := c.lookupEnv(envName(f.Name))
		if err != nil || f.Changed || !ok || cobraFlag(f.Name) {
			return
		}
		if e := cmd.Flags().Set(f.Name, v); e != nil {
			err = fmt.Errorf("invalid value %q for %s: %v", v, envName(f.Name), e)
		}
	})
	return err
}

// openStore opens and migrates the database named by --db; create allows a missing SQLite
// file to be made (serve, migrate), the other commands need an existing one.
func (c *cli) openStore(ctx context.Context, create bool) (*store.DB, error) {
	db, err := c.open(ctx, create)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// open opens the database of --db with the pool flags, without migrating it.
func (c *cli) open(ctx context.Context, create bool) (*store.DB, error) {
	if c.dbOpts.MaxConns < 0 || c.dbOpts.ConnTimeout < 0 {
		return nil, fmt.Errorf("--db-max-conns and --db-conn-timeout cannot be negative")
	}
	opts := c.dbOpts
	opts.MustExist = !create
	db, err := store.OpenWith(ctx, c.dsn, opts)
	if errors.Is(err, store.ErrNoDatabase) {
		return nil, fmt.Errorf("%w: `kyc serve` or `kyc migrate` creates it; or give the database's path with --db or KYC_DB", err)
	}
	return db, err
}

// withStore runs fn with the migrated, existing database of --db, which it names on
// standard error first (so that a command run against the wrong file shows it), and
// closes the database after.
func (c *cli) withStore(ctx context.Context, fn func(*store.DB) error) error {
	db, err := c.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	c.noteDatabase()
	return fn(db)
}

// noteDatabase names the database in use on standard error, without credentials.
func (c *cli) noteDatabase() {
	fmt.Fprintf(c.stderr, "kyc: database %s\n", store.Location(c.dsn))
}

// printf writes to standard output; a failed write to a closed pipe is not worth an error.
func (c *cli) printf(format string, args ...any) {
	fmt.Fprintf(c.stdout, format, args...)
}
