package loadtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openkyc/kyc/internal/httpsig"
)

// ProfilesPath is the collection every scenario talks to.
const ProfilesPath = "/v1/kyc/customer_profiles"

// Client builds the requests of each scenario against one server.
type Client struct {
	Base   string          // e.g. http://127.0.0.1:8080
	APIKey string          // the account's API key
	Signer *httpsig.Signer // signs every request when set
	// Prefix keeps the registration ids of one run apart from those of another (a
	// registration id is unique per account).
	Prefix string
}

// profileTemplate is a valid personal create body (the official sample with the required
// purposeOfAccount) whose registration id is the placeholder REGID.
const profileTemplate = `{"customerName":"MINGMING ZHOU","customerFirstName":"MINGMING","customerLastName":"ZHOU",` +
	`"email":"zhou@gmail.com","address":{"street":"ROOM 503, NO. 3, GUYAN ERLI XIANG 'AN DISTRICT",` +
	`"city":"XIAMEN","postalCode":"100020","state":"XIAMEN","country":"CN"},"countryOfResidence":"CN",` +
	`"dateOfBirth":"1987-07-30","gender":"MALE","nationality":"CN","registrationId":"REGID",` +
	`"registrationType":"personal","registrationIdCountry":"CN","registrationIdType":"passport",` +
	`"registrationIdExpiryDate":"2033-05-09","businessIndustry":"IT_RELATED",` +
	`"occupation":"SENIOR_ASSOCIATE_OR_SENIOR_EXECUTIVE","expectedAnnualTransactionAmount":"5001_TO_10000",` +
	`"expectedTransactionSize":"1001_TO_5000","expectedTransactionFrequency":"AT_LEAST_ONCE_EVERY_2_WEEKS",` +
	`"annualIncome":"30001_TO_50000","totalWealth":"500001_TO_2000000","purposeOfAccount":"INVESTMENT",` +
	`"sourceOfWealth":{"employmentIncome":{"document":"https://docs.example.com/kyc/passport-1234.jpg"},` +
	`"others":{"details":"test","document":"https://docs.example.com/kyc/passport-1234.jpg"}},` +
	`"identityDocuments":{"selfie":"https://docs.example.com/kyc/passport-1234.jpg",` +
	`"proofOfAddress":"https://docs.example.com/kyc/passport-1234.jpg",` +
	`"passport":"https://docs.example.com/kyc/passport-1234.jpg",` +
	`"livenessSnapshot":"https://docs.example.com/kyc/passport-1234.jpg","livenessResult":true},` +
	`"ipAddresses":["8.8.8.8"]}`

// ProfileBody is the create body of a person whose registration id is regID (letters and
// digits only).
func ProfileBody(regID string) []byte {
	return []byte(strings.Replace(profileTemplate, "REGID", regID, 1))
}

// Create is the seq-th create request: a person of their own, so that every create succeeds.
func (c *Client) Create(seq int64) (*http.Request, error) {
	return c.request(http.MethodPost, ProfilesPath, ProfileBody(c.Prefix+strconv.FormatInt(seq, 10)))
}

// Get fetches one of ids, chosen at random.
func (c *Client) Get(ids []string) func(int64) (*http.Request, error) {
	return func(int64) (*http.Request, error) {
		return c.request(http.MethodGet, ProfilesPath+"/"+ids[rand.N(len(ids))], nil)
	}
}

// List fetches the first page of the collection at the default size.
func (c *Client) List(int64) (*http.Request, error) {
	return c.request(http.MethodGet, ProfilesPath, nil)
}

// Echo posts the create body to the bare echo server, for the reference figure.
func (c *Client) Echo(seq int64) (*http.Request, error) {
	return c.request(http.MethodPost, "/echo", ProfileBody(c.Prefix+strconv.FormatInt(seq, 10)))
}

func (c *Client) request(method, path string, body []byte) (*http.Request, error) {
	req, err := http.NewRequest(method, c.Base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-XFERS-APP-API-KEY", c.APIKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Signer != nil {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		for k, v := range c.Signer.Headers(httpsig.ForRequest(req, ts, httpsig.NewNonce(), body)) {
			req.Header[k] = v
		}
	}
	return req, nil
}

// ProfileIDs returns the ids of the first page of up to 100 profiles, for Get to choose
// from.
func (c *Client) ProfileIDs(ctx context.Context) ([]string, error) {
	req, err := c.request(http.MethodGet, ProfilesPath+"?page%5Bsize%5D=100", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var page struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&page); err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("loadtest: list profiles: status %d: %v", resp.StatusCode, err)
	}
	ids := make([]string, 0, len(page.Data))
	for _, p := range page.Data {
		ids = append(ids, p.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("loadtest: no profiles to get")
	}
	return ids, nil
}

// NewSigner returns a signer for the key id and the 32-byte Ed25519 seed.
func NewSigner(keyID string, seed []byte) (*httpsig.Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("loadtest: an Ed25519 seed is %d bytes", ed25519.SeedSize)
	}
	return &httpsig.Signer{KeyID: keyID, Key: ed25519.NewKeyFromSeed(seed)}, nil
}

// maxEchoBody bounds what the echo server reads, as the API bounds its bodies.
const maxEchoBody = 1 << 20

// EchoHandler is the bare reference server: it decodes the JSON body and encodes it back,
// with nothing else (no storage, no validation), so that the API's figures can be read as
// a share of what net/http and encoding/json alone manage on the same machine.
func EchoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v any
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxEchoBody)).Decode(&v); err != nil {
			http.Error(w, "bad JSON", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	})
}
