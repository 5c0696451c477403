module github.com/openkyc/kyc

go 1.26
