package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
	"github.com/openkyc/kyc/internal/store"
)

// maxKeyFile bounds what `publickey add` reads: a public key is well under 1 KiB in any form.
const maxKeyFile = 64 << 10

func (c *cli) publickeyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "publickey", Short: "Manage the Ed25519 public keys accounts sign requests with"}
	cmd.AddCommand(c.publickeyAddCmd(), c.publickeyListCmd(),
		c.publickeyChangeCmd("enable", "Let a public key sign requests again", (*store.DB).EnablePublicKey, "enabled"),
		c.publickeyChangeCmd("disable", "Stop a public key from signing requests (400 STXE-4000 from now on)", (*store.DB).DisablePublicKey, "disabled"),
		c.publickeyChangeCmd("delete", "Delete a public key for good (404 STXE-5000 from now on)", (*store.DB).DeletePublicKey, "deleted"))
	return cmd
}

func (c *cli) publickeyAddCmd() *cobra.Command {
	var account, name, file string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "add --account ID --name NAME --file PATH|-",
		Short: "Add a public key to an account (PEM, ssh-ed25519, or hex or base64 of the 32 raw bytes)",
		Long: "add registers an Ed25519 public key and prints its key id, which signed requests send in\n" +
			"X-PUBLIC-KEY-ID. An account holds at most 5 keys. RSA and ECDSA keys and private keys are refused.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			text, err := readInput(cmd, file, maxKeyFile)
			if err != nil {
				return err
			}
			pub, err := httpsig.ParsePublicKey(text)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			return c.withAccount(cmd.Context(), &account, func(db *store.DB) error {
				k, err := db.CreatePublicKey(cmd.Context(), account, name, pub)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(k)
				}
				c.printf("public key %s added to %s; send it in X-PUBLIC-KEY-ID\n", k.ID, account)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account's id, or its name")
	cmd.Flags().StringVar(&name, "name", "", "a name to tell the key apart (at most 100 characters)")
	cmd.Flags().StringVar(&file, "file", "", `the public key file, or "-" for standard input`)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object (keyId, accountId, name, publicKey, enabled, createdAt)")
	for _, f := range []string{"account", "name", "file"} {
		_ = cmd.MarkFlagRequired(f)
	}
	return cmd
}

func (c *cli) publickeyListCmd() *cobra.Command {
	var account string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list --account ID",
		Short: "List an account's public keys",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withAccount(cmd.Context(), &account, func(db *store.DB) error {
				keys, err := db.FindPublicKeys(cmd.Context(), account)
				if err != nil {
					return err
				}
				if asJSON {
					return c.printJSON(append([]kyc.PublicKey{}, keys...))
				}
				for _, k := range keys {
					c.printf("%s\t%s\t%s\t%s\n", k.ID, enabledWord(k.Enabled), k.CreatedAt.UTC().Format(time.RFC3339), k.Name)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account's id, or its name")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

func enabledWord(on bool) string {
	if on {
		return "enabled"
	}
	return "disabled"
}

func (c *cli) publickeyChangeCmd(verb, short string, change func(*store.DB, context.Context, string) error, done string) *cobra.Command {
	return &cobra.Command{
		Use:   verb + " KEY_ID",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStore(cmd.Context(), func(db *store.DB) error {
				if err := change(db, cmd.Context(), args[0]); err != nil {
					return err
				}
				c.printf("%s %s\n", done, args[0])
				return nil
			})
		},
	}
}

// readInput reads a file, or standard input for "-", refusing more than limit bytes.
func readInput(cmd *cobra.Command, path string, limit int64) ([]byte, error) {
	var r io.Reader = cmd.InOrStdin()
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}
