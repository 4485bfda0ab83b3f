// The CSV reader on its own: quoting, comments, line numbers and syntax problems.
#include "scenario/csv.hpp"

#include <catch2/catch.hpp>

using cpcsim::ProblemList;
namespace csv = cpcsim::csv;

TEST_CASE("CSV: quotes, escapes, comments, blank lines and line numbers", "[unit][scenario]") {
    ProblemList problems;
    const auto table = csv::parse(
        "\xEF\xBB\xBF# comment\r\n"
        " id , text\r\n"
        "\r\n"
        "a,\"x, y\"\r\n"
        "b,\"say \"\"hi\"\"\"\n"
        "c,\"two\nlines\"\n"
        "# another comment\n"
        "d,\n"
        "e,  \"spaced\"  ",
        "t.csv", problems);
    CHECK(problems.empty());
    CHECK(table.header == std::vector<std::string>{"id", "text"});
    CHECK(table.header_line == 2);
    REQUIRE(table.rows.size() == 5);
    CHECK(table.rows[0].line == 4);
    CHECK(table.rows[0].fields[1] == "x, y");
    CHECK(table.rows[1].fields[1] == "say \"hi\"");
    CHECK(table.rows[2].fields[1] == "two\nlines");
    CHECK(table.rows[3].line == 9);  // after a record spanning two lines and a comment
    CHECK(table.rows[3].fields[1].empty());
    CHECK(table.rows[4].fields[1] == "spaced");
    CHECK(table.column("text") == 1);
    CHECK(table.column("nope") == -1);
}

TEST_CASE("CSV: syntax problems name the row", "[unit][scenario]") {
    ProblemList problems;
    const auto table = csv::parse("a,b\n1,2,3\n\"x\"y,2\n3,4\n5,\"open\n", "t.csv", problems);
    REQUIRE(problems.size() == 3);
    CHECK(problems.items()[0].to_string() == "t.csv: row 2: has 3 fields but the header has 2");
    CHECK(problems.items()[1].to_string().find("row 3: unexpected text after a closing quote") != std::string::npos);
    CHECK(problems.items()[2].to_string().find("row 5: quoted field is not closed") != std::string::npos);
    REQUIRE(table.rows.size() == 1);
    CHECK(table.rows[0].line == 4);

    ProblemList empty_problems;
    (void)csv::parse("# only a comment\n", "e.csv", empty_problems);
    CHECK(empty_problems.items().at(0).to_string() == "e.csv: no header row (the file is empty)");
}

TEST_CASE("CSV: numbers must parse fully; typed cells report row and column", "[unit][scenario]") {
    CHECK(csv::parse_number(" 1.5 ") == 1.5);
    CHECK(csv::parse_number("+2") == 2);
    CHECK(csv::parse_number("-1e3") == -1000);
    CHECK_FALSE(csv::parse_number("1.5x"));
    CHECK_FALSE(csv::parse_number(""));
    CHECK_FALSE(csv::parse_number("nan"));
    CHECK_FALSE(csv::parse_number("1,5"));
    CHECK(csv::format_number(0.1) == "0.1");
    CHECK(csv::format_number(3) == "3");

    ProblemList problems;
    const auto table = csv::parse("n,flag,opt\nabc,2,\n", "t.csv", problems);
    REQUIRE(table.rows.size() == 1);
    csv::RowReader cells(table, table.rows[0], problems);
    CHECK(cells.number("opt", 0, 1, 0.5) == 0.5);
    CHECK(cells.number("absent", 0, 1, 1) == 1);
    CHECK(cells.ok());
    (void)cells.number("n", 0, 10);
    (void)cells.flag("flag");
    (void)cells.number("opt", 0, 1);
    CHECK_FALSE(cells.ok());
    REQUIRE(problems.size() == 3);
    CHECK(problems.items()[0].to_string() ==
          "t.csv: row 2, column n: 'abc' is not a number; expected a number in [0, 10]");
    CHECK(problems.items()[1].to_string() == "t.csv: row 2, column flag: expected 0 or 1, got '2'");
    CHECK(problems.items()[2].to_string() == "t.csv: row 2, column opt: missing value; expected a number in [0, 1]");
}

TEST_CASE("CSV: header checks list the expected columns", "[unit][scenario]") {
    ProblemList problems;
    const auto table = csv::parse("a,c,c\n", "t.csv", problems);
    CHECK_FALSE(csv::check_header(table, csv::Schema{{"a", "b"}, {"c"}}, problems));
    REQUIRE(problems.size() == 2);
    CHECK(problems.items()[0].to_string() == "t.csv: row 1 (header): missing required column 'b'");
    CHECK(problems.items()[1].to_string() == "t.csv: row 1 (header): column 'c' appears more than once");

    ProblemList unknown;
    CHECK_FALSE(csv::check_header(csv::parse("a,b,z\n", "t.csv", unknown), csv::Schema{{"a", "b"}, {"c"}}, unknown));
    CHECK(unknown.items().at(0).message == "unknown column 'z'; expected columns: a, b; optional: c");
}
