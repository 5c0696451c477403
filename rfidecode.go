package kyc

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds of an RFI: what a reviewer may ask, and what a customer may answer.
const (
	MaxRFIQuestions   = 50
	maxCheckboxOption = 20
	maxQuestionText   = 1000
	maxAnswerText     = 255 // R-ANY255, the published rule of textReply and othersDetails
	MaxRFIExpiryDays  = 365
)

// reRFIURL is the published rule of documentUrl (R-URL-RFI); it differs from the profile
// documents' rule in its top-level domain (2 to 63 letters).
var reRFIURL = regexp.MustCompile(`(?i)^(https?://)?(([0-9]{1,3}(\.[0-9]{1,3}){3,5})|(([-\p{L}_0-9]{1,256}\.)+[-\p{L}_]{2,63}))(:[0-9]+)?([/?].*)?$`)

// QuestionIDPattern is the published rule of an answer's id when it is sent as a string;
// the OpenAPI document's pattern for it is this one, and a test keeps them equal.
const QuestionIDPattern = `^-?[0-9]+$`

var reQuestionID = regexp.MustCompile(QuestionIDPattern)

// RFIRequest is what raises an RFI: the body of the sandbox endpoint and of
// `kyc rfi create --file`. ExpiryDays 0 means the default for the profile's status.
type RFIRequest struct {
	Questions  []Question
	ExpiryDays int
}

// Answer is one answer of a submission, before it is checked against its question.
type Answer struct {
	QuestionID int
	ReplyType  string
	Reply      Reply
	path       string
	bad        bool // it has problems of its own: not checked against its question
}

// Answers are the answers of one submission with the problems found in them on their own,
// reported together with those RFI.Submit finds against the questions.
type Answers struct {
	List     []Answer
	problems []FieldError
}

// attrReader collects every problem of one body, members named by their path.
type attrReader struct{ problems []FieldError }

func (a *attrReader) add(p FieldError) { a.problems = append(a.problems, p) }

// attributes reads {"data":{"attributes":{…}}}, the envelope of every RFI and limits body.
func (a *attrReader) attributes(body []byte) (map[string]any, error) {
	doc, err := DecodeObject(body)
	if err != nil {
		return nil, err
	}
	data := onlyObject(doc, "", "data", &a.problems)
	return onlyObject(data, "data", "attributes", &a.problems), nil
}

func (a *attrReader) err() error {
	if len(a.problems) == 0 {
		return nil
	}
	sortProblems(a.problems)
	return Validation(a.problems)
}

// text checks a string member of 1 to max characters without line breaks.
func (a *attrReader) text(at string, v any, max int) string {
	s, ok := v.(string)
	if !ok || strings.TrimSpace(s) == "" || hidden(s) || utf8.RuneCountInString(s) > max {
		a.add(Invalid(at, "%s must be 1 to %d characters without line breaks", at, max))
	}
	return s
}

func (a *attrReader) array(at string, v any, max int) []any {
	items, ok := v.([]any)
	if !ok || len(items) == 0 || len(items) > max {
		a.add(Invalid(at, "%s must be an array of 1 to %d items", at, max))
		return nil
	}
	return items
}

func (a *attrReader) object(at string, v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		a.add(Invalid(at, "%s must be an object", at))
	}
	return m
}

func (a *attrReader) required(at string, obj map[string]any, names ...string) {
	for _, n := range names {
		if v, ok := obj[n]; !ok || v == nil {
			a.add(Missing(joinPath(at, n)))
		}
	}
}

func (a *attrReader) replyType(at string, v any) string {
	s, _ := v.(string)
	if s != ReplyText && s != ReplyDoc && s != ReplyCheckbox {
		a.add(Invalid(at, "Invalid %s. Must be in [\"TEXT\", \"DOC\", \"CHECKBOX\"]", at))
	}
	return s
}

// DecodeRFIRequest reads {"data":{"attributes":{"questions":[{"text","type","required",
// "options"}],"expiryDays":N}}}. Questions are numbered 1, 2, 3… in the order sent.
func DecodeRFIRequest(body []byte) (RFIRequest, error) {
	var a attrReader
	attrs, err := a.attributes(body)
	if err != nil {
		return RFIRequest{}, err
	}
	var req RFIRequest
	const at = "data.attributes"
	for k, v := range attrs {
		switch k {
		case "questions":
			for i, item := range a.array(at+".questions", v, MaxRFIQuestions) {
				req.Questions = append(req.Questions, a.question(indexPath(at+".questions", i), i+1, item))
			}
		case "expiryDays":
			req.ExpiryDays = a.expiryDays(at+".expiryDays", v)
		default:
			a.add(Invalid(joinPath(at, k), "Unknown field `%s`", echo(k)))
		}
	}
	if attrs != nil {
		a.required(at, attrs, "questions")
	}
	return req, a.err()
}

func (a *attrReader) question(at string, id int, item any) Question {
	q := Question{ID: id, Status: QuestionPending}
	obj := a.object(at, item)
	if obj == nil {
		return q
	}
	a.required(at, obj, "text", "type", "required")
	for k, v := range obj {
		switch k {
		case "text":
			q.Question = a.text(at+".text", v, maxQuestionText)
		case "type":
			q.ReplyType = a.replyType(at+".type", v)
		case "required":
			req, ok := v.(bool)
			if !ok {
				a.add(Invalid(at+".required", "%s.required must be a boolean", at))
			}
			q.Optional = !req
		case "options":
			q.Options = a.options(at+".options", v)
		default:
			a.add(Invalid(joinPath(at, k), "Unknown field `%s`", echo(k)))
		}
	}
	if (q.ReplyType == ReplyCheckbox) != (q.Options != nil) && q.ReplyType != "" {
		a.add(Invalid(at+".options", "%s.options go with type CHECKBOX, and only with it", at))
	}
	return q
}

func (a *attrReader) options(at string, v any) []string {
	items := a.array(at, v, maxCheckboxOption)
	out := []string{}
	for i, item := range items {
		s := a.text(indexPath(at, i), item, maxAnswerText)
		if slices.Contains(out, s) {
			a.add(Invalid(indexPath(at, i), "%s repeats an option", indexPath(at, i)))
		}
		out = append(out, s)
	}
	return out
}

func (a *attrReader) expiryDays(at string, v any) int {
	n, err := strconv.Atoi(numberText(v))
	if err != nil || n < 1 || n > MaxRFIExpiryDays {
		a.add(Invalid(at, "%s must be an integer from 1 to %d", at, MaxRFIExpiryDays))
	}
	return n
}

func numberText(v any) string {
	if n, ok := v.(json.Number); ok {
		return string(n)
	}
	return ""
}

// DecodeRFIAnswers reads {"data":{"attributes":{"rfiQuestionAnswers":[{"id","replyType",
// "textReply"|"documentUrl"|"selectedOptions"+"othersDetails"}]}}}. Only a body that is not
// a JSON object is an error here; every other problem is kept for RFI.Submit to report
// with those it finds, in one 400.
func DecodeRFIAnswers(body []byte) (Answers, error) {
	var a attrReader
	attrs, err := a.attributes(body)
	if err != nil {
		return Answers{}, err
	}
	const at = "data.attributes.rfiQuestionAnswers"
	var out Answers
	for k, v := range attrs {
		if k != "rfiQuestionAnswers" {
			a.add(Invalid(joinPath("data.attributes", k), "Unknown field `%s`", echo(k)))
			continue
		}
		for i, item := range a.array(at, v, MaxRFIQuestions) {
			before := len(a.problems)
			ans := a.answer(indexPath(at, i), item)
			ans.bad = len(a.problems) > before
			out.List = append(out.List, ans)
		}
	}
	if attrs != nil {
		a.required("data.attributes", attrs, "rfiQuestionAnswers")
	}
	out.problems = a.problems
	return out, nil
}

// ignoredAnswerMembers appear in the published sample request; they describe the answer
// and change nothing.
var ignoredAnswerMembers = []string{"question", "documentName", "documentContentType"}

func (a *attrReader) answer(at string, item any) Answer {
	ans := Answer{path: at}
	obj := a.object(at, item)
	if obj == nil {
		return ans
	}
	a.required(at, obj, "id", "replyType")
	for k, v := range obj {
		switch k {
		case "id":
			ans.QuestionID = a.questionID(at+".id", v)
		case "replyType":
			ans.ReplyType = a.replyType(at+".replyType", v)
		case "textReply":
			ans.Reply.TextReply = a.text(at+".textReply", v, maxAnswerText)
		case "documentUrl":
			ans.Reply.DocumentURL = a.documentURL(at+".documentUrl", v)
		case "selectedOptions":
			ans.Reply.SelectedOptions = a.options(at+".selectedOptions", v)
		case "othersDetails":
			ans.Reply.OthersDetails = a.text(at+".othersDetails", v, maxAnswerText)
		default:
			if !slices.Contains(ignoredAnswerMembers, k) {
				a.add(Invalid(joinPath(at, k), "Unknown field `%s`", echo(k)))
			}
		}
	}
	a.replyMembers(at, ans)
	return ans
}

func (a *attrReader) questionID(at string, v any) int {
	s := numberText(v)
	if str, ok := v.(string); ok && reQuestionID.MatchString(str) {
		s = str
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		a.add(Invalid(at, "%s must be an integer question id", at))
	}
	return n
}

func (a *attrReader) documentURL(at string, v any) string {
	s, _ := v.(string)
	if len(s) > 2048 || hidden(s) || !reRFIURL.MatchString(s) {
		a.add(Invalid(at, "%s must be a valid URL", at))
	}
	return s
}

// replyMembers checks that the answer carries the member of its reply type and no other.
func (a *attrReader) replyMembers(at string, ans Answer) {
	r := ans.Reply
	want := map[string]bool{
		"textReply":       ans.ReplyType == ReplyText,
		"documentUrl":     ans.ReplyType == ReplyDoc,
		"selectedOptions": ans.ReplyType == ReplyCheckbox,
	}
	got := map[string]bool{"textReply": r.TextReply != "", "documentUrl": r.DocumentURL != "", "selectedOptions": r.SelectedOptions != nil}
	for _, m := range []string{"textReply", "documentUrl", "selectedOptions"} {
		switch {
		case ans.ReplyType == "":
		case want[m] && !got[m]:
			a.add(Missing(at + "." + m))
		case !want[m] && got[m]:
			a.add(Invalid(at+"."+m, "%s.%s does not go with replyType %s", at, m, ans.ReplyType))
		}
	}
	if others := slices.ContainsFunc(r.SelectedOptions, isOthers); others != (r.OthersDetails != "") {
		a.add(Invalid(at+".othersDetails", "%s.othersDetails is required when, and only when, selectedOptions contains Others", at))
	}
}

// isOthers reports whether a checkbox option is the "Others" one, whose details are asked
// for: the published description says "Others", its sample sends "others".
func isOthers(option string) bool { return strings.EqualFold(option, "others") }

// DecodeRFITransition reads the sandbox transition body {"data":{"attributes":{"status":
// "completed"|"expired"}}}.
func DecodeRFITransition(body []byte) (RFIStatus, error) {
	var a attrReader
	attrs, err := a.attributes(body)
	if err != nil {
		return "", err
	}
	var to RFIStatus
	for k, v := range attrs {
		s, _ := v.(string)
		switch {
		case k != "status":
			a.add(Invalid("data.attributes."+k, "Unknown field `%s`", echo(k)))
		case s != string(RFICompleted) && s != string(RFIExpired):
			a.add(Invalid("data.attributes.status", "Invalid status. Must be in [\"completed\", \"expired\"]"))
		default:
			to = RFIStatus(s)
		}
	}
	if attrs != nil {
		a.required("data.attributes", attrs, "status")
	}
	return to, a.err()
}

// questionsMessage is how a submission names a question in its problems.
func questionsMessage(id int, format string, args ...any) string {
	return fmt.Sprintf("Question %d: ", id) + fmt.Sprintf(format, args...)
}
