package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/openkyc/kyc"
)

// updateProfile is PATCH and PUT /v1/kyc/customer_profiles/{id}: a JSON Merge Patch over
// the stored attributes, validated by every create rule, applied only if If-Match (when
// sent) names the current version. The status follows the lifecycle rules (kyc package).
func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) (any, error) {
	ifMatch, err := parseIfMatch(r.Header.Get("If-Match"))
	if err != nil {
		return nil, err
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	patch, err := kyc.DecodeObject(body)
	if err != nil {
		return nil, err
	}
	a, err := s.assess(r.Context())
	if err != nil {
		return nil, err
	}
	p, err := s.db.UpdateAssessedProfile(r.Context(), accountFrom(r).ID, r.PathValue("id"), ifMatch,
		func(p *kyc.Profile) (kyc.Data, error) {
			return s.catalog.Update(p.Kind, p.Data, patch, s.now())
		}, a)
	if err != nil {
		return nil, err
	}
	return s.profileResponse(w, p)
}

// parseIfMatch reads an If-Match header: absent or "*" give 0 (no condition); otherwise it
// must be one strong ETag of ours, a quoted version such as "3". A weak or listed ETag is
// refused rather than guessed at.
func parseIfMatch(h string) (int, error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return 0, nil
	}
	unquoted, ok := strings.CutPrefix(h, `"`)
	unquoted, ok2 := strings.CutSuffix(unquoted, `"`)
	v, err := strconv.Atoi(unquoted)
	if !ok || !ok2 || err != nil || v < 1 {
		return 0, kyc.BadInput(`If-Match must be one ETag of the profile as sent in its ETag header, such as "3"`)
	}
	return v, nil
}

// etag is a profile's version as a strong entity tag.
func etag(p *kyc.Profile) string { return `"` + strconv.Itoa(p.Version) + `"` }

// profileResponse is the document of a profile, with its version in the ETag header,
// written in one pass from the attributes as the store has them (kyc.AppendDocument).
func (s *Server) profileResponse(w http.ResponseWriter, p *kyc.Profile) (any, error) {
	warnings, err := s.catalog.ProfileWarnings(p)
	if err != nil {
		return nil, err
	}
	// Room for the service's members and the envelope: the body grows once, if at all.
	body, err := kyc.AppendDocument(make([]byte, 0, len(p.Encoded)+1024), p, warnings)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(p))
	return encoded(body), nil
}
