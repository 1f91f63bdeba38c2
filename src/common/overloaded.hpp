#pragma once
// One visitor from several lambdas, for std::visit over a variant:
//   std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, v);

namespace edgehub {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace edgehub
