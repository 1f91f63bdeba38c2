#pragma once
// unique_ptr owners for the OpenSSL objects more than one file of src/tls
// holds. Internal to src/tls.
#include <openssl/bio.h>
#include <openssl/bn.h>

#include <memory>

namespace edgehub::tls::detail {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

}  // namespace edgehub::tls::detail
