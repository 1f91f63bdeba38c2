// The web console's accounts page (docs/HTTP_API.md#admin): `edgehubd user
// passwd|del` from inside the running server. The write and the reload of
// the accounts are one store job, and its result is applied on the store
// thread like a reload by hub/auth/account_reload.cpp, so the two never
// apply in the wrong order.
#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "hub/core/async.hpp"
#include "hub/core/hub.hpp"

namespace edgehub::hub {

// Not a coroutine (see hub/core/async.hpp): write is moved into the
// initiation, which runs once the caller awaits.
asio::awaitable<bool> Hub::change_account(std::function<bool(store::Store&)> write) {
  auto initiate = [this](auto handler, std::function<bool(store::Store&)> work) {
    auto shared_handler = std::make_shared<decltype(handler)>(std::move(handler));
    auto found = std::make_shared<bool>(false);
    auto changes = std::make_shared<std::optional<AccountChanges>>();
    store_.submit({[work = std::move(work), found, changes](store::Store& st) {
                     *found = work(st);
                     if (*found) *changes = AccountChanges{st.load_accounts(), {}, st.load_revoked_serials()};
                   },
                   [this, shared_handler, found, changes](std::exception_ptr error) {
                     if (!error && *changes) apply_account_changes(std::move(**changes));
                     detail::deliver<bool>(std::move(*shared_handler), std::move(error), *found);  // called once
                   }});
  };
  return asio::async_initiate<decltype(asio::use_awaitable), detail::ResultSignature<bool>>(
      std::move(initiate), asio::use_awaitable, std::move(write));
}

asio::awaitable<bool> Hub::set_password_hash(const std::string& name, const std::string& hash) {
  return change_account([name, hash](store::Store& st) {
    const auto all = st.load_accounts();
    if (std::none_of(all.begin(), all.end(), [&](const store::Account& a) { return a.name == name; })) return false;
    // As `edgehubd user passwd`: from now on the account is the operator's,
    // not the credentials file's; set_account keeps its admin role.
    st.set_account({name, hash, "admin"});
    return true;
  });
}

asio::awaitable<bool> Hub::delete_account(const std::string& name) {
  return change_account([name](store::Store& st) { return st.delete_account(name); });
}

}  // namespace edgehub::hub
