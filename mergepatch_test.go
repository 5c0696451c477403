package kyc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
)

// The cases of RFC 7396 appendix A, plus the ones a profile update relies on.
func TestMergePatch(t *testing.T) {
	for _, tc := range []struct {
		name                string
		target, patch, want string
	}{
		{"replace member", `{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{"add member", `{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{"null removes", `{"a":"b"}`, `{"a":null}`, `{}`},
		{"null removes one of two", `{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{"array replaced", `{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{"scalar replaced by array", `{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{"nested merge and remove", `{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{"arrays are not merged", `{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{"scalar replaced by object, nulls dropped", `{"e":null}`, `{"a":1}`, `{"a":1,"e":null}`},
		{"new object member loses its nulls", `{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		{"null of an absent member", `{"a":"b"}`, `{"x":null}`, `{"a":"b"}`},
		{"nested key kept", `{"address":{"city":"X","state":"Y"}}`, `{"address":{"state":null}}`, `{"address":{"city":"X"}}`},
		{"empty patch", `{"a":{"b":1}}`, `{}`, `{"a":{"b":1}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, patch := decode(t, tc.target), decode(t, tc.patch)
			targetCopy := decode(t, tc.target)
			got := kyc.MergePatch(target, patch)
			if diff := cmp.Diff(decode(t, tc.want), got); diff != "" {
				t.Errorf("merge (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(targetCopy, target); diff != "" {
				t.Errorf("target was modified (-before +after):\n%s", diff)
			}
		})
	}
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	m, err := kyc.DecodeObject([]byte(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return m
}
