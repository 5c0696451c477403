package httpsig

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ParsePublicKey reads an Ed25519 public key in any form StraitsX's dashboard takes: PEM
// (SPKI, what `openssl pkey -pubout` writes), an OpenSSH line (`ssh-ed25519 AAAA… comment`),
// or the 32 raw bytes in hex or base64 (base64 of the SPKI DER is taken too). Anything else
// — RSA or ECDSA keys, private keys, wrong lengths — is refused with a message that says
// what was found, and never echoes the input.
func ParsePublicKey(text []byte) (ed25519.PublicKey, error) {
	s := strings.TrimSpace(string(text))
	switch {
	case s == "":
		return nil, errors.New("the public key is empty")
	case strings.HasPrefix(s, "-----BEGIN"):
		return parsePEMPublic([]byte(s))
	case strings.HasPrefix(s, "ssh-") || strings.HasPrefix(s, "ecdsa-") || strings.HasPrefix(s, "sk-"):
		return parseSSH(s)
	case isHex(s):
		b, _ := hex.DecodeString(s) // isHex checked it
		return rawKey(b)
	}
	return parseBase64Public(s)
}

func parsePEMPublic(text []byte) (ed25519.PublicKey, error) {
	block, rest := pem.Decode(text)
	switch {
	case block == nil:
		return nil, errors.New("the PEM block cannot be read")
	case len(bytes.TrimSpace(rest)) > 0:
		return nil, errors.New("give one public key only, not several PEM blocks")
	case strings.Contains(block.Type, "PRIVATE KEY"):
		return nil, errors.New("this is a private key: give the public key only " +
			"(openssl pkey -in private.pem -pubout), and keep the private key to yourself")
	case block.Type != "PUBLIC KEY":
		return nil, fmt.Errorf("a PEM block of type %q is not a public key (want \"PUBLIC KEY\")", block.Type)
	}
	return parseSPKI(block.Bytes)
}

func parseSPKI(der []byte) (ed25519.PublicKey, error) {
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, errors.New("the public key cannot be parsed as SPKI (PKIX)")
	}
	switch k := key.(type) {
	case ed25519.PublicKey:
		return k, nil
	case *rsa.PublicKey:
		return nil, errors.New("this is an RSA key: request signing uses Ed25519 keys only")
	case *ecdsa.PublicKey:
		return nil, errors.New("this is an ECDSA key: request signing uses Ed25519 keys only")
	}
	return nil, fmt.Errorf("this is a %T: request signing uses Ed25519 keys only", key)
}

// parseSSH reads an authorized_keys line. Its base64 part is the SSH wire form: a
// length-prefixed "ssh-ed25519" and a length-prefixed 32-byte key, and nothing after.
func parseSSH(s string) (ed25519.PublicKey, error) {
	fields := strings.Fields(s)
	if fields[0] != "ssh-ed25519" {
		return nil, fmt.Errorf("this is an %s key: request signing uses Ed25519 keys only", fields[0])
	}
	if len(fields) < 2 {
		return nil, errors.New("the ssh-ed25519 line has no key after its type")
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return nil, errors.New("the ssh-ed25519 key is not valid base64")
	}
	typ, rest, ok := sshString(blob)
	if !ok || string(typ) != "ssh-ed25519" {
		return nil, errors.New("the ssh-ed25519 key does not hold an ssh-ed25519 key")
	}
	key, rest, ok := sshString(rest)
	if !ok || len(rest) != 0 || len(key) != ed25519.PublicKeySize {
		return nil, errors.New("the ssh-ed25519 key is malformed")
	}
	return key, nil
}

// sshString reads one uint32-length-prefixed string of the SSH wire format.
func sshString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 4 {
		return nil, nil, false
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, false
	}
	return b[4 : 4+n], b[4+n:], true
}

func parseBase64Public(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, errors.New("the public key is neither PEM, ssh-ed25519, hex nor base64")
	}
	if len(b) > ed25519.PublicKeySize+8 { // longer than raw: DER, with its ASN.1 header
		return parseSPKI(b)
	}
	return rawKey(b)
}

func rawKey(b []byte) (ed25519.PublicKey, error) {
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("an Ed25519 public key is 32 bytes; this one is %d", len(b))
	}
	return b, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// ParsePrivateKey reads an Ed25519 private key from a PKCS#8 PEM block, the form
// `openssl genpkey -algorithm ed25519` and `kyc keygen` write.
func ParsePrivateKey(text []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(text)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("want a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("the private key cannot be parsed as PKCS#8")
	}
	k, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the private key is a %T: request signing uses Ed25519 keys only", key)
	}
	return k, nil
}

// MarshalPrivateKey writes key as a PKCS#8 PEM block.
func MarshalPrivateKey(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// MarshalPublicKey writes key as an SPKI PEM block.
func MarshalPublicKey(key ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
