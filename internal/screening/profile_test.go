package screening_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/fixtures"
	"github.com/openkyc/kyc/internal/screening"
)

func fixtureProfile(k *kyc.Kind) *kyc.Profile {
	return &kyc.Profile{ID: "customer_profile_test", Kind: k, Data: kyc.Data(fixtures.Profile(k.Name))}
}

// TestProfileSubjects: a personal profile is one person under its names; a business
// profile is the company and every director, beneficial owner and the trader, each at its
// path, with the countries normalised.
func TestProfileSubjects(t *testing.T) {
	p := fixtureProfile(kyc.PersonalCPPlus)
	p.Data["customerNativeName"], p.Data["nationality"] = "周明明", "CHN"
	got := screening.ProfileSubjects(p)
	if len(got) != 1 || got[0].Role != kyc.RoleCustomer || got[0].Type != kyc.PartyPerson ||
		got[0].Name != p.Text("customerFirstName")+" "+p.Text("customerLastName") || got[0].DateOfBirth == "" ||
		got[0].Countries[0] != "CN" || len(got[0].Aliases) == 0 || got[0].Aliases[len(got[0].Aliases)-1] != "周明明" {
		t.Errorf("personal subjects: %+v", got)
	}
	var paths []string
	for _, s := range screening.ProfileSubjects(fixtureProfile(kyc.BusinessCPPlus)) {
		paths = append(paths, s.Role+":"+s.Path)
	}
	want := []string{"customer:", "director:directors[0]", "director:directors[1]", "beneficialOwner:beneficialOwners[0]",
		"beneficialOwner:beneficialOwners[1]", "trader:trader"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("business subjects (-want +got):\n%s", diff)
	}
}

// BenchmarkScreenProfile screens the business fixture (the company, two directors, two
// owners and the trader: six subjects) against the real OFAC and UN lists together, as a
// create does, and reports the CPU time of one profile's screening.
//
//	go test -run X -bench ScreenProfile -cpu 1 ./internal/screening
func BenchmarkScreenProfile(b *testing.B) {
	ix := realIndexOf(b)
	p := fixtureProfile(kyc.BusinessCPPlus)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpu []time.Duration
	for b.Loop() {
		start := threadCPU()
		ix.ScreenProfile(p, time.Now())
		cpu = append(cpu, threadCPU()-start)
	}
	b.ReportMetric(float64(percentile(cpu, 0.5).Microseconds()), "p50-cpu-µs")
	b.ReportMetric(float64(percentile(cpu, 0.99).Microseconds()), "p99-cpu-µs")
}
