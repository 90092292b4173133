#!/bin/sh
# Regenerates the TLS test fixtures of this directory (self-signed RSA 2048, valid 100 years).
# Store passwords are "secret"; the JKS key entries' password is "password" (as in Spring Boot's own tests).
set -e
cd "$(dirname "$0")"
rm -f test.jks test.p12 test-cert.pem test-key.pem alpha.p12 beta.p12 alpha-cert.pem alpha-key.pem beta-cert.pem beta-key.pem
days=36500
keytool -genkeypair -keystore test.jks -storetype JKS -storepass secret -keypass password -alias spring-boot \
  -keyalg RSA -keysize 2048 -validity $days -dname "CN=spring-boot" -ext "SAN=dns:localhost,ip:127.0.0.1" 2>/dev/null
keytool -genkeypair -keystore test.jks -storetype JKS -storepass secret -keypass password -alias test-alias \
  -keyalg RSA -keysize 2048 -validity $days -dname "CN=test-alias" -ext "SAN=dns:localhost,ip:127.0.0.1" 2>/dev/null
for name in test alpha beta; do
  cn=localhost; [ $name = test ] || cn=$name.example
  keytool -genkeypair -keystore $name.p12 -storetype PKCS12 -storepass secret -alias $name \
    -keyalg RSA -keysize 2048 -validity $days -dname "CN=$cn" -ext "SAN=dns:$cn,ip:127.0.0.1"
  openssl pkcs12 -in $name.p12 -passin pass:secret -nokeys -clcerts | openssl x509 -out $name-cert.pem
  openssl pkcs12 -in $name.p12 -passin pass:secret -nocerts -nodes | openssl pkey -out $name-key.pem
done
rm -f alpha.p12 beta.p12
