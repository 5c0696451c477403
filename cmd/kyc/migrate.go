package main

import (
	"github.com/spf13/cobra"
)

func (c *cli) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations and report the schema version",
		Long: "migrate applies the pending migrations of the database's dialect (SQLite or PostgreSQL)\n" +
			"and reports the schema version. serve migrates on start too; on PostgreSQL, instances that\n" +
			"start at once take an advisory lock and migrate exactly once.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := c.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			c.noteDatabase()
			before, err := db.Version(cmd.Context())
			if err != nil {
				return err
			}
			after, err := db.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			c.printf("schema version %d (was %d)\n", after, before)
			return nil
		},
	}
}
