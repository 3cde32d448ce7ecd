// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "callscript",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "CallScript", targets: ["CallScript"]),
    .executable(name: "callscript", targets: ["callscript"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    .target(
      name: "CallScript",
      dependencies: [
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      resources: [.embedInCode("Resources/active-attack.yaml")]
    ),
    // No pkgConfig: readline's .pc file adds -D flags SwiftPM refuses with a warning on every
    // build; the headers are in the default include path and the module map links the library.
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .executableTarget(
      name: "callscript",
      dependencies: [
        "CallScript",
        "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "callscript-bench",
      dependencies: ["CallScript", .product(name: "Yams", package: "Yams")]
    ),
    .testTarget(name: "CallScriptTests", dependencies: ["CallScript"], exclude: ["Fixtures"]),
    .testTarget(name: "callscriptTests", dependencies: ["callscript"]),
  ],
  swiftLanguageModes: [.v6]
)
