# syntax=docker/dockerfile:1
# The kyc service as a container: a static binary on a distroless base, run as a non-root
# user, its SQLite database in the /data volume. See README.md, "Running in a container".
#
#   docker build -t openkyc .
#   docker run -d --name kyc -p 127.0.0.1:8080:8080 -v kyc-data:/data openkyc

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# No cgo (modernc.org/sqlite is pure Go), so the binary is static and runs on a base without
# a C library. With .git in the context, `kyc version` shows the commit it was built from.
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/kyc ./cmd/kyc \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kyc /usr/local/bin/kyc
# The volume's mount point belongs to the nonroot user (65532), mode 0700: the database, its
# WAL and the lock file are created there, 0600.
COPY --from=build --chown=65532:65532 --chmod=0700 /out/data /data
USER 65532:65532
ENV KYC_DB=/data/kyc.db \
    KYC_ADDR=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/kyc", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/kyc"]
CMD ["serve"]
