package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/openkyc/kyc/internal/httpsig"
)

func (c *cli) keygenCmd() *cobra.Command {
	var out, pubOut string
	cmd := &cobra.Command{
		Use:   "keygen [--out private.pem]",
		Short: "Generate an Ed25519 key pair for request signing",
		Long: "keygen writes a PKCS#8 PEM private key (mode 0600) and the matching SPKI PEM public key\n" +
			"(by default next to it, with .pub added). Without --out they go to kyc's directory in your\n" +
			"configuration directory (~/.config/kyc/keys on Linux, mode 0700), never into the current\n" +
			"directory, which may be a repository. It never overwrites a file. Register the public key\n" +
			"with `kyc publickey add`; keep the private key where only the signing client can read it.",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if out == "" {
				path, err := defaultKeyPath(time.Now())
				if err != nil {
					return err
				}
				out = path
			}
			if pubOut == "" {
				pubOut = out + ".pub"
			}
			if err := keygen(out, pubOut); err != nil {
				return err
			}
			c.printf("private key: %s\npublic key:  %s\nregister it: kyc publickey add --account ID --name NAME --file %s\n", out, pubOut, pubOut)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "where to write the private key (default: a new file in kyc's configuration directory)")
	cmd.Flags().StringVar(&pubOut, "pub-out", "", "where to write the public key (default: the --out path with .pub added)")
	return cmd
}

// defaultKeyPath is a new key's path in kyc's key directory, made (0700) if missing, named
// by the time so that a second key never meets the first.
func defaultKeyPath(now time.Time) (string, error) {
	config, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no configuration directory for the key (%w): give --out", err)
	}
	dir := filepath.Join(config, "kyc", "keys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, "ed25519-"+now.UTC().Format("20060102T150405.000Z")+".pem"), nil
}

func keygen(privPath, pubPath string) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	privPEM, err := httpsig.MarshalPrivateKey(priv)
	if err != nil {
		return err
	}
	pubPEM, err := httpsig.MarshalPublicKey(pub)
	if err != nil {
		return err
	}
	// The public key first: if it cannot be written, no orphan private key is left behind.
	if err := writeNew(pubPath, pubPEM, 0o644); err != nil {
		return err
	}
	if err := writeNew(privPath, privPEM, 0o600); err != nil {
		os.Remove(pubPath)
		return err
	}
	return nil
}

// writeNew creates path with the given mode and data; it refuses to replace a file, so
// that a key in use is never overwritten by mistake. The mode is set at creation, so the
// private key is never readable by others, not even for a moment.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists already; not overwriting it", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
