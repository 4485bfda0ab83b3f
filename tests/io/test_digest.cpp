// SHA-256 against the FIPS 180-4 example vectors, and dataset digests of a hand-written file.
#include "io/digest.hpp"
#include "io/sha256.hpp"

#include "core/error.hpp"
#include "io_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace cpcsim;
using namespace cpcsim::io;

TEST_CASE("SHA-256 gives the FIPS 180-4 example digests", "[unit][io]") {
    CHECK(Sha256().hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(Sha256().add("abc").hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(Sha256().add("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex() ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // One million 'a', added in uneven pieces (exercises the partial-block buffer).
    Sha256 h;
    const std::string piece(997, 'a');
    std::size_t left = 1000000;
    while (left > 0) {
        const std::size_t n = std::min(left, piece.size());
        h.add(piece.data(), n);
        left -= n;
    }
    CHECK(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("provenance datasets are recognised by name", "[unit][io]") {
    CHECK(is_provenance_dataset("scenario/scenario_toml"));
    CHECK(is_provenance_dataset("/arms/B/scenario/scenario_toml"));
    CHECK(is_provenance_dataset("sweep/manifest"));
    CHECK_FALSE(is_provenance_dataset("scenario/areas_csv"));
    CHECK_FALSE(is_provenance_dataset("runs/manifest"));
}

TEST_CASE("digest_file lists every dataset with type, shape and hash of its values", "[unit][io]") {
    test::TempDir dir;
    const auto path = dir / "d.h5";
    const std::vector<std::int32_t> counts = {1, 2, 3, 4, 5, 6};
    {
        auto f = File::create(path);
        f.set_string_attr("created_utc", "2026-01-01T00:00:00Z");
        f.write_dataset("runs/counts", counts, {2, 3}, {.dims = {"replicate", "area"}});
        f.write_strings("labels/area", {"North", "South"});
        f.write_string("scenario/scenario_toml", "x = 1\n");
        f.write_string("scenario/areas_csv", "code\nE1\n");
        f.write_dataset("mean", std::vector<double>{0.5}, {});
        f.close();
    }
    const auto d = digest_file(path);
    REQUIRE(d.size() == 5);
    CHECK(d[0].path == "labels/area");
    CHECK(d[0].dtype == "string");
    CHECK(d[0].sha256 == Sha256().add(std::string("North\0South\0", 12)).hex());
    CHECK(d[1].path == "mean");
    CHECK(d[1].shape.empty());
    CHECK(d[2].path == "runs/counts");
    CHECK(d[2].dtype == "int32");
    CHECK(d[2].shape == Shape{2, 3});
    CHECK(d[2].sha256 == Sha256().add(counts.data(), counts.size() * 4).hex());
    CHECK(d[3].path == "scenario/areas_csv");
    CHECK(d[3].sha256 == Sha256().add(std::string("code\nE1\n\0", 9)).hex());
    CHECK(d[4].path == "scenario/scenario_toml");
    CHECK(d[4].dtype == "string");
    CHECK(d[4].sha256 == kNotDigested);  // the resolved scenario names files by absolute path
    CHECK(format_digest(d).find("runs/counts int32 [2,3] " + d[2].sha256 + "\n") != std::string::npos);
    CHECK(format_digest(d).find("mean float64 [] ") != std::string::npos);

    SECTION("attributes do not change the digest; one value does") {
        {
            auto f = File::open_read_write(path);
            f.set_string_attr("created_utc", "2027-06-30T12:00:00Z");
            f.open_dataset("runs/counts").set_string_attr("description", "changed");
        }
        CHECK(format_digest(digest_file(path)) == format_digest(d));
        {
            auto f = File::create(path);
            auto changed = counts;
            changed[5] = 7;
            f.write_dataset("runs/counts", changed, {2, 3});
        }
        const auto e = digest_file(path);
        REQUIRE(e.size() == 1);
        CHECK(e[0].sha256 != d[2].sha256);
    }
}
