package kyc

import "time"

// RFIDocument is the JSON:API body that carries one RFI.
type RFIDocument struct {
	Data RFIResource `json:"data"`
}

// RFIList is the body of GET …/rfi-requests.
type RFIList struct {
	Data []RFIResource `json:"data"`
	Meta RFIListMeta   `json:"meta"`
}

// RFIListMeta counts the profile's RFIs: all of them, those the filter kept, and by state
// (pending counts the outstanding ones, sent or received).
type RFIListMeta struct {
	Total         int `json:"total"`
	FilteredCount int `json:"filteredCount"`
	Summary       struct {
		Pending   int `json:"pending"`
		Expired   int `json:"expired"`
		Completed int `json:"completed"`
	} `json:"summary"`
}

// RFIResource is an RFI as the API shows it.
type RFIResource struct {
	ID         string        `json:"id"`
	Type       string        `json:"type"`
	Attributes RFIAttributes `json:"attributes"`
}

// RFIAttributes are the published members of an RFI.
type RFIAttributes struct {
	CustomerProfileID string      `json:"customerProfileId"`
	Active            ActiveRFI   `json:"activeRfiRequest"`
	Progress          RFIProgress `json:"rfiProgressSummary"`
}

// ActiveRFI is the RFI's status and questions.
type ActiveRFI struct {
	CreatedAt time.Time      `json:"createdAt"`
	Status    RFIStatus      `json:"status"`
	Questions []QuestionView `json:"rfiQuestions"`
}

// QuestionView is a question as shown, with whether it waits for the customer.
type QuestionView struct {
	Question
	RequiresAction bool `json:"requiresAction"`
}

// RFIProgress is the published progress summary.
type RFIProgress struct {
	ExpiryDate           time.Time `json:"expiryDate"`
	DaysUntilExpiry      int       `json:"daysUntilExpiry"`
	DaysExpired          int       `json:"daysExpired"`
	CompletionPercentage int       `json:"completionPercentage"`
	TotalQuestions       int       `json:"totalQuestions"`
	AcceptedQuestions    int       `json:"acceptedQuestions"`
	PendingQuestions     int       `json:"pendingQuestions"`
	RejectedQuestions    int       `json:"rejectedQuestions"`
}

const day = 24 * time.Hour

// NewRFIDocument builds the document of r as seen at now. Document links are left out
// unless showAttachments, as published ("Otherwise, it will be hidden").
func NewRFIDocument(r *RFI, now time.Time, showAttachments bool) RFIDocument {
	return RFIDocument{Data: newRFIResource(r, now, showAttachments)}
}

// NewRFIList builds the list body: the RFIs kept by status ("" keeps all) and the counts
// of all of them.
func NewRFIList(all []RFI, status RFIStatus, now time.Time, showAttachments bool) RFIList {
	list := RFIList{Data: []RFIResource{}}
	list.Meta.Total = len(all)
	for i := range all {
		switch all[i].Status {
		case RFICompleted:
			list.Meta.Summary.Completed++
		case RFIExpired:
			list.Meta.Summary.Expired++
		default:
			list.Meta.Summary.Pending++
		}
		if status == "" || all[i].Status == status {
			list.Data = append(list.Data, newRFIResource(&all[i], now, showAttachments))
		}
	}
	list.Meta.FilteredCount = len(list.Data)
	return list
}

func newRFIResource(r *RFI, now time.Time, showAttachments bool) RFIResource {
	views := make([]QuestionView, len(r.Questions))
	for i, q := range r.Questions {
		if q.Reply != nil && q.Reply.DocumentURL != "" && !showAttachments {
			hidden := *q.Reply
			hidden.DocumentURL = ""
			q.Reply = &hidden
		}
		views[i] = QuestionView{Question: q, RequiresAction: r.Status == RFISent && q.due()}
	}
	return RFIResource{ID: r.ID, Type: RFIType, Attributes: RFIAttributes{
		CustomerProfileID: r.ProfileID,
		Active:            ActiveRFI{CreatedAt: second(r.CreatedAt), Status: r.Status, Questions: views},
		Progress:          progress(r, now),
	}}
}

func progress(r *RFI, now time.Time) RFIProgress {
	p := RFIProgress{ExpiryDate: second(r.ExpiresAt), TotalQuestions: len(r.Questions)}
	answered := 0
	for _, q := range r.Questions {
		switch q.Status {
		case QuestionAccepted:
			p.AcceptedQuestions++
			answered++
		case QuestionRejected:
			p.RejectedQuestions++
		case QuestionSubmitted:
			answered++
		}
	}
	p.PendingQuestions = p.TotalQuestions - p.AcceptedQuestions - p.RejectedQuestions
	if p.TotalQuestions > 0 {
		p.CompletionPercentage = answered * 100 / p.TotalQuestions
	}
	switch left := r.ExpiresAt.Sub(now); {
	case r.Status == RFIExpired:
		p.DaysExpired = int(max(-left, 0) / day)
	case r.Status.Outstanding() && left > 0:
		p.DaysUntilExpiry = int((left + day - 1) / day)
	}
	return p
}

func second(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// RFISubmission is the published answer to PUT …/rfi-requests/{id}.
type RFISubmission struct {
	Data struct {
		ID         string `json:"id"`
		Type       string `json:"type"`
		Attributes struct {
			CustomerProfileID string           `json:"customerProfileId"`
			Status            RFIStatus        `json:"status"`
			Message           string           `json:"message"`
			SubmittedReplies  []SubmittedReply `json:"submittedReplies"`
		} `json:"attributes"`
	} `json:"data"`
}

// SubmittedReply is one answer saved.
type SubmittedReply struct {
	ID      int    `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

// NewRFISubmission builds the answer to a submission of r.
func NewRFISubmission(r *RFI, saved []SubmittedReply) RFISubmission {
	var s RFISubmission
	s.Data.ID, s.Data.Type = r.ID, RFIType
	a := &s.Data.Attributes
	a.CustomerProfileID, a.Status, a.Message, a.SubmittedReplies = r.ProfileID, r.Status, "RFI replies submitted successfully", saved
	return s
}
