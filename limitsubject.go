package kyc

// LimitSubject is what a profile's limits depend on: its kind and status, and the
// attributes a tier's conditions name. It is the one place that reads them from a Profile.
type LimitSubject struct {
	ProfileID  string
	Status     Status
	Business   bool // daily limits; annual otherwise
	CPPlus     bool // only CP+ profiles have limits
	Attributes map[string]any
}

// SubjectOf reads p's limit subject.
func SubjectOf(p *Profile) LimitSubject {
	return LimitSubject{
		ProfileID: p.ID, Status: p.Status, Attributes: p.Data,
		Business: p.Kind.RegistrationType == RegistrationBusiness, CPPlus: p.Kind.Model == ModelCPPlus,
	}
}
