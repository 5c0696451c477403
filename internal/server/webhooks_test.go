package server_test

import (
	"net/http"
	"testing"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/client"
	"github.com/openkyc/kyc/internal/kyctest"
	"github.com/openkyc/kyc/internal/server"
)

func ptr(s string) *string { return &s }

func TestWebhookConfigurationThroughTheClient(t *testing.T) {
	c := newSigning(t, true).client()
	ctx := t.Context()
	before, err := c.Webhook(ctx)
	if err != nil {
		t.Fatalf("Webhook: %v", err)
	}
	attrs := before.Data.Attributes
	if before.Data.Type != "webhook" || len(attrs) != len(kyc.WebhookEvents) || attrs[kyc.EventVerificationStatusUpdated] != nil {
		t.Fatalf("before: %+v, want every event name, all null", before.Data)
	}
	after, err := c.UpdateWebhook(ctx, map[string]*string{kyc.EventVerificationStatusUpdated: ptr("http://127.0.0.1:9/cb")})
	if err != nil {
		t.Fatalf("UpdateWebhook: %v", err)
	}
	got := after.Data.Attributes[kyc.EventVerificationStatusUpdated]
	if after.Data.ID != before.Data.ID || got == nil || *got != "http://127.0.0.1:9/cb" {
		t.Errorf("after: id %s url %v, want id %s and the URL (sandbox takes http and loopback)", after.Data.ID, got, before.Data.ID)
	}
}

func TestWebhookConfigurationRefusals(t *testing.T) {
	prod := kyctest.NewServerWith(t, server.Config{Env: server.Production})
	c := client.New(prod.URL+"/v1", prod.APIKey)
	for name, urls := range map[string]map[string]*string{
		"unknown event":      {"cpSomethingElse": ptr("https://a.example/cb")},
		"relative URL":       {kyc.EventVerificationStatusUpdated: ptr("/cb")},
		"http in production": {kyc.EventVerificationStatusUpdated: ptr("http://a.example/cb")},
		"IP in production":   {kyc.EventVerificationStatusUpdated: ptr("https://10.0.0.1/cb")},
		"credentials in URL": {kyc.EventVerificationStatusUpdated: ptr("https://u:p@a.example/cb")},
		"not a URL at all":   {kyc.EventVerificationStatusUpdated: ptr("::")},
		"another scheme":     {kyc.EventVerificationStatusUpdated: ptr("ftp://a.example/cb")},
		"no attributes":      nil,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.UpdateWebhook(t.Context(), urls)
			if urls == nil {
				if err == nil || kyc.AsError(err).Code != kyc.CodeInvalid {
					t.Fatalf("no attributes: err %v, want XFE12", err)
				}
				return
			}
			if e := kyc.AsError(err); e == nil || e.Status != http.StatusBadRequest || e.Code != kyc.CodeInvalid {
				t.Fatalf("err = %v, want 400 XFE12", err)
			}
		})
	}
}
