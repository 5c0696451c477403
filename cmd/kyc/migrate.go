package main

import (
	"github.com/spf13/cobra"

	"github.com/openkyc/kyc/internal/store"
)

func (c *cli) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations and report the schema version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := store.Open(cmd.Context(), c.dsn)
			if err != nil {
				return err
			}
			defer db.Close()
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
