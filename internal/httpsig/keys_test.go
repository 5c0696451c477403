package httpsig_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc/internal/httpsig"
)

// sshLine builds an authorized_keys line of the given type around raw key bytes.
func sshLine(typ string, key []byte) string {
	var blob []byte
	for _, part := range [][]byte{[]byte(typ), key} {
		blob = binary.BigEndian.AppendUint32(blob, uint32(len(part)))
		blob = append(blob, part...)
	}
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " someone@laptop"
}

func pemOf(t *testing.T, typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestParsePublicKey(t *testing.T) {
	// The vectors' key in the forms the spec lists.
	pubHex := "40b0f498a16f2b943d74dc4f9d4acc05d0de9c935dd569ae831cf8fcdd4e3feb"
	want, _ := hex.DecodeString(pubHex)
	spki := "MCowBQYDK2VwAyEAQLD0mKFvK5Q9dNxPnUrMBdDenJNd1Wmugxz4/N1OP+s="
	for name, in := range map[string]string{
		"hex":                       pubHex,
		"hex upper case":            strings.ToUpper(pubHex),
		"base64":                    base64.StdEncoding.EncodeToString(want),
		"base64 unpadded":           base64.RawStdEncoding.EncodeToString(want),
		"base64 SPKI":               spki,
		"PEM":                       "-----BEGIN PUBLIC KEY-----\n" + spki + "\n-----END PUBLIC KEY-----\n",
		"ssh":                       sshLine("ssh-ed25519", want),
		"surrounded by white space": "\n  " + pubHex + "  \n",
	} {
		got, err := httpsig.ParsePublicKey([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if diff := cmp.Diff([]byte(want), []byte(got)); diff != "" {
			t.Errorf("%s: key (-want +got):\n%s", name, diff)
		}
	}
}

func TestParsePublicKeyRefuses(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaDER, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	privDER, _ := x509.MarshalPKCS8PrivateKey(edPriv)
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "  ", "empty"},
		{"RSA PEM", pemOf(t, "PUBLIC KEY", rsaDER), "RSA"},
		{"ECDSA PEM", pemOf(t, "PUBLIC KEY", ecDER), "ECDSA"},
		{"RSA base64 DER", base64.StdEncoding.EncodeToString(rsaDER), "RSA"},
		{"private key PEM", pemOf(t, "PRIVATE KEY", privDER), "private key"},
		{"OpenSSH private key", pemOf(t, "OPENSSH PRIVATE KEY", []byte("x")), "private key"},
		{"ssh-rsa", sshLine("ssh-rsa", []byte("whatever")), "ssh-rsa"},
		{"ecdsa ssh", sshLine("ecdsa-sha2-nistp256", []byte("whatever")), "ecdsa-sha2-nistp256"},
		{"ssh with short key", sshLine("ssh-ed25519", make([]byte, 31)), "malformed"},
		{"hex of 31 bytes", strings.Repeat("ab", 31), "31"},
		{"base64 of 33 bytes", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xff}, 33)), "33"},
		{"private seed as hex too long", strings.Repeat("9d", 64), "64"},
		{"not a key", "hello, world!", "neither"},
		{"certificate PEM", pemOf(t, "CERTIFICATE", []byte("x")), "CERTIFICATE"},
	} {
		_, err := httpsig.ParsePublicKey([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestPrivateKeyRoundTrip(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	text, err := httpsig.MarshalPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	got, err := httpsig.ParsePrivateKey(text)
	if err != nil || !got.Equal(priv) {
		t.Fatalf("ParsePrivateKey = %v, %v", got, err)
	}
	pubText, _ := httpsig.MarshalPublicKey(pub)
	if back, err := httpsig.ParsePublicKey(pubText); err != nil || !back.Equal(pub) {
		t.Fatalf("ParsePublicKey(MarshalPublicKey) = %v, %v", back, err)
	}
	if _, err := httpsig.ParsePrivateKey(pubText); err == nil {
		t.Error("a public key was read as a private key")
	}
}
