package main

import (
	"os"

	"github.com/spf13/cobra"
)

func (c *cli) backupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy a SQLite database to FILE (mode 0600) while the server runs",
		Long: "backup writes a consistent copy of the SQLite database of --db to FILE, a new file, without\n" +
			"stopping the server: the copy holds every change committed before it began. Restore by\n" +
			"stopping the server and putting the copy in the database's place (remove the old -wal and\n" +
			"-shm files with it). PostgreSQL databases are backed up with pg_dump instead.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Not withStore: a backup taken before an upgrade must not migrate the database
			// first, which the new binary's withStore would.
			db, err := c.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer db.Close()
			c.noteDatabase()
			if err := db.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			info, err := os.Stat(args[0])
			if err != nil {
				return err
			}
			c.printf("backed up to %s (%d bytes)\n", args[0], info.Size())
			return nil
		},
	}
}
