using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using Dapper;
using static Campaigns.Tests.CustomerEndpoints.CustomerCalls;

namespace Campaigns.Tests.CustomerEndpoints;

public sealed class CustomerImportTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string InvalidPhone = "phone is not a valid phone number (write it with + and the country code, or as a KE number)";

    [Fact]
    public async Task A_json_import_lands_the_good_rows_and_lists_each_bad_one_with_its_reason()
    {
        var (a, b, c, d) = (Unique.KenyanPhone(), Unique.KenyanPhone(), Unique.KenyanPhone(), Unique.KenyanPhone());
        var rows = new JsonArray
        {
            new JsonObject { ["phone"] = National(a), ["first_name"] = " Amina ", ["location"] = "Nairobi" },   // 1 lands
            new JsonObject { ["phone"] = "12345", ["first_name"] = "Bad" },                                     // 2 invalid phone
            new JsonObject { ["first_name"] = "No phone" },                                                     // 3 missing phone
            new JsonObject { ["phone"] = InternationalDashed(a), ["first_name"] = "Again" },                    // 4 repeats row 1
            new JsonObject { ["phone"] = b, ["first_name"] = new string('f', 101) },                            // 5 over the limit
            5,                                                                                                  // 6 not an object
            new JsonObject { ["phone"] = c, ["opted_out"] = "yes" },                                            // 7 wrong type
            new JsonObject { ["phone"] = Subscriber(d), ["preferred_product"] = "Shoes 👟", ["opted_out"] = true, ["colour"] = "red" }, // 8 lands
            new JsonObject { ["phone"] = 254712345678 },                                                        // 9 phone not a string
        };

        var response = (await _api.ImportJsonAsync(rows.ToJsonString(), Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(9, response["received"]!.GetValue<int>());
        Assert.Equal(2, response["created"]!.GetValue<int>());
        Assert.Equal(0, response["updated"]!.GetValue<int>());
        var expectedRejections = new JsonArray
        {
            Rejection(2, "12345", InvalidPhone),
            Rejection(3, "", "phone is required"),
            Rejection(4, InternationalDashed(a), "duplicate phone in request (first seen at row 1)"),
            Rejection(5, b, "first_name must be at most 100 characters"),
            Rejection(6, "", "row must be a JSON object"),
            Rejection(7, c, "opted_out must be true or false"),
            Rejection(9, "254712345678", "phone must be a string"),
        };
        Assert.Equal(expectedRejections.ToJsonString(), response["rejected"]!.ToJsonString());

        var ids = response.Ids();
        Assert.Equal(2, ids.Length);
        var first = (await _api.GetJsonAsync($"/customers/{ids[0]}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(a, first.Text("phone"));
        Assert.Equal(" Amina ", first.Text("first_name"));
        Assert.Equal("Nairobi", first.Text("location"));
        Assert.Equal("", first.Text("last_name"));
        var second = (await _api.GetJsonAsync($"/customers/{ids[1]}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(d, second.Text("phone"));
        Assert.Equal("Shoes 👟", second.Text("preferred_product"));
        Assert.True(second["opted_out"]!.GetValue<bool>());
        (await _api.GetJsonAsync($"/customers?phone={b}", Ct)).Expect(HttpStatusCode.OK);
        Assert.Empty((await _api.GetJsonAsync($"/customers?phone={b}", Ct)).Json["data"]!.AsArray());
    }

    [Fact]
    public async Task A_csv_import_reads_quoted_cells_exactly_and_rejects_bad_rows()
    {
        var (a, b, c, d) = (Unique.KenyanPhone(), Unique.KenyanPhone(), Unique.KenyanPhone(), Unique.KenyanPhone());
        var csv = new StringBuilder()
            .Append("first_name,Phone,notes,location,opted_out\r\n")
            .Append($"\"Otieno, \"\"Ben\"\"\",{NationalSpaced(a)},ignored, Mombasa ,TRUE\r\n")   // 1 lands
            .Append($"Zoë,not-a-phone,,Nairobi,false\r\n")                                         // 2 invalid phone
            .Append($"Nobody,,,Nairobi,\r\n")                                                      // 3 missing phone
            .Append($"Twin,{Subscriber(a)},,Kisumu,\r\n")                                          // 4 repeats row 1
            .Append($"Long,{b},,{new string('l', 101)},\r\n")                                     // 5 over the limit
            .Append($"Short,{c}\r\n")                                                              // 6 too few columns
            .Append("\r\n")                                                                        //   blank: skipped
            .Append($"\"multi\nline\",{d},,\"\",\r\n")                                            // 7 lands
            .ToString();

        var response = (await _api.ImportCsvAsync(csv, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(7, response["received"]!.GetValue<int>());
        Assert.Equal(2, response["created"]!.GetValue<int>());
        Assert.Equal(0, response["updated"]!.GetValue<int>());
        var expectedRejections = new JsonArray
        {
            Rejection(2, "not-a-phone", InvalidPhone),
            Rejection(3, "", "phone is required"),
            Rejection(4, Subscriber(a), "duplicate phone in request (first seen at row 1)"),
            Rejection(5, b, "location must be at most 100 characters"),
            Rejection(6, c, "row has 2 columns but the header has 5"),
        };
        Assert.Equal(expectedRejections.ToJsonString(), response["rejected"]!.ToJsonString());

        var ids = response.Ids();
        var first = (await _api.GetJsonAsync($"/customers/{ids[0]}", Ct)).Json;
        Assert.Equal(a, first.Text("phone"));
        Assert.Equal("Otieno, \"Ben\"", first.Text("first_name"));
        Assert.Equal(" Mombasa ", first.Text("location"));
        Assert.True(first["opted_out"]!.GetValue<bool>());
        var second = (await _api.GetJsonAsync($"/customers/{ids[1]}", Ct)).Json;
        Assert.Equal(d, second.Text("phone"));
        Assert.Equal("multi\nline", second.Text("first_name"));
        Assert.False(second["opted_out"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_csv_update_overwrites_only_the_columns_of_the_file()
    {
        var existing = await _api.CreateCustomerAsync(new
        {
            phone = Unique.KenyanPhone(),
            first_name = "Amina",
            last_name = "Otieno",
            location = "Nairobi",
            preferred_product = "Shoes",
            opted_out = true,
        }, Ct);
        var newcomer = Unique.KenyanPhone();
        var csv = $"phone,location\n{National(newcomer)},Kisumu\n{NationalSpaced(existing.Text("phone"))},Mombasa\n";

        var response = (await _api.ImportCsvAsync(csv, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(2, response["received"]!.GetValue<int>());
        Assert.Equal(1, response["created"]!.GetValue<int>());
        Assert.Equal(1, response["updated"]!.GetValue<int>());
        Assert.Empty(response["rejected"]!.AsArray());
        var ids = response.Ids();
        Assert.Equal(existing.Id(), ids[1]);
        var updated = (await _api.GetJsonAsync($"/customers/{existing.Id()}", Ct)).Json;
        Assert.Equal("Mombasa", updated.Text("location"));
        Assert.Equal("Amina", updated.Text("first_name"));
        Assert.Equal("Otieno", updated.Text("last_name"));
        Assert.Equal("Shoes", updated.Text("preferred_product"));
        Assert.True(updated["opted_out"]!.GetValue<bool>());
        Assert.Equal(existing.Text("created_at"), updated.Text("created_at"));
        var created = (await _api.GetJsonAsync($"/customers/{ids[0]}", Ct)).Json;
        Assert.Equal(newcomer, created.Text("phone"));
        Assert.Equal("Kisumu", created.Text("location"));
    }

    [Fact]
    public async Task A_json_update_overwrites_only_the_members_of_each_row()
    {
        var one = await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "One", location = "Nairobi", opted_out = true }, Ct);
        var two = await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "Two", location = "Nakuru" }, Ct);
        var fresh = Unique.KenyanPhone();
        var rows = new JsonArray
        {
            new JsonObject { ["phone"] = fresh, ["first_name"] = "Fresh" },
            new JsonObject { ["phone"] = National(two.Text("phone")), ["location"] = null, ["opted_out"] = true },
            new JsonObject { ["phone"] = one.Text("phone"), ["first_name"] = "Uno" },
        };

        var response = (await _api.ImportJsonAsync(rows.ToJsonString(), Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(1, response["created"]!.GetValue<int>());
        Assert.Equal(2, response["updated"]!.GetValue<int>());
        var ids = response.Ids();
        Assert.Equal([two.Id(), one.Id()], ids[1..]);
        var first = (await _api.GetJsonAsync($"/customers/{one.Id()}", Ct)).Json;
        Assert.Equal("Uno", first.Text("first_name"));
        Assert.Equal("Nairobi", first.Text("location"));
        Assert.True(first["opted_out"]!.GetValue<bool>());
        var second = (await _api.GetJsonAsync($"/customers/{two.Id()}", Ct)).Json;
        Assert.Equal("Two", second.Text("first_name"));
        Assert.Equal("", second.Text("location"));
        Assert.True(second["opted_out"]!.GetValue<bool>());
        Assert.Equal("Fresh", (await _api.GetJsonAsync($"/customers/{ids[0]}", Ct)).Json.Text("first_name"));
    }

    [Fact]
    public async Task A_phone_longer_than_any_phone_is_echoed_cut_with_an_ellipsis()
    {
        var forty = "+254 712-345-678 / 0712 345 678 (home) 1";
        var long1 = new string('7', 100_000);
        var long2 = new string('8', 39) + "👟👟";
        var rows = $$"""[{"phone":"{{forty}}"},{"phone":"{{long1}}"},{"phone":{{new string('9', 5_000)}}},{"phone":"{{long2}}"}]""";

        var response = (await _api.ImportJsonAsync(rows, Ct)).Expect(HttpStatusCode.OK).Json;

        var phones = response["rejected"]!.AsArray().Select(r => r!["phone"]!.GetValue<string>()).ToArray();
        Assert.Equal(40, forty.Length);
        Assert.Equal(forty, phones[0]);
        Assert.Equal(new string('7', 40) + "…", phones[1]);
        Assert.Equal(new string('9', 40) + "…", phones[2]);
        // Never half an emoji: cut before a surrogate pair that straddles the limit.
        Assert.Equal(new string('8', 39) + "…", phones[3]);
        var csv = (await _api.ImportCsvAsync($"first_name,phone\nAmina,{long1}\n", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(new string('7', 40) + "…", csv["rejected"]![0]!["phone"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_than_1000_rejected_rows_list_the_first_1000_and_the_counts_stay_exact()
    {
        var (first, last) = (Unique.KenyanPhone(), Unique.KenyanPhone());
        var csv = new StringBuilder("phone\n").Append(first).Append('\n');
        for (var i = 0; i < 1_500; i++)
        {
            csv.Append("bad-").Append(i).Append('\n');
        }
        csv.Append(last).Append('\n');

        var response = (await _api.ImportCsvAsync(csv.ToString(), Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(1_502, response["received"]!.GetValue<int>());
        Assert.Equal(2, response["created"]!.GetValue<int>());
        Assert.Equal(0, response["updated"]!.GetValue<int>());
        var rejected = response["rejected"]!.AsArray();
        Assert.Equal(1_000, rejected.Count);
        Assert.Equal(Enumerable.Range(2, 1_000), rejected.Select(r => r!["row"]!.GetValue<int>()));
        Assert.Equal("bad-999", rejected[^1]!["phone"]!.GetValue<string>());
        Assert.Equal(2, response.Ids().Length);
    }

    [Fact]
    public async Task An_empty_array_imports_nothing()
    {
        var response = (await _api.ImportJsonAsync("[]", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("""{"received":0,"created":0,"updated":0,"rejected":[],"customer_ids":[]}""", response.ToJsonString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_neither_json_nor_csv_is_unsupported(string mediaType)
    {
        var response = await _api.ImportAsync($"phone\n{Unique.KenyanPhone()}\n", mediaType, Ct);

        response.Expect(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Theory]
    [InlineData("first_name,location\nAmina,Nairobi\n")]
    [InlineData("")]
    [InlineData("phone,first_name,PHONE\n0712345678,a,b\n")]
    public async Task A_csv_header_without_exactly_one_phone_column_is_a_validation_error(string csv)
    {
        var response = await _api.ImportCsvAsync(csv, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]!["header"]);
    }

    [Theory]
    [InlineData("[{\"phone\": \"0712345678\"")]
    [InlineData("[{\"phone\": \"0712345678\"}] trailing")]
    [InlineData("{\"phone\": \"0712345678\"}")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("not json")]
    public async Task Malformed_json_or_a_body_that_is_not_an_array_is_invalid_json(string body)
    {
        (await _api.ImportJsonAsync(body, Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task A_malformed_json_import_lands_nothing()
    {
        var phone = Unique.KenyanPhone();

        (await _api.ImportJsonAsync($$"""[{"phone": "{{phone}}"}, {"phone": ]""", Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");

        Assert.Empty((await _api.GetJsonAsync($"/customers?phone={phone}", Ct)).Json["data"]!.AsArray());
    }

    [Fact]
    public async Task More_than_100000_rows_is_a_validation_error_and_lands_nothing()
    {
        var first = Unique.KenyanPhone();
        var csv = new StringBuilder("phone\n").Append(first).Append('\n');
        for (var i = 1; i <= 100_000; i++)
        {
            csv.Append("+2547").Append(i.ToString("D8")).Append('\n');
        }

        var response = await _api.ImportCsvAsync(csv.ToString(), Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]!["rows"]);
        Assert.Empty((await _api.GetJsonAsync($"/customers?phone={first}", Ct)).Json["data"]!.AsArray());
    }

    [Fact]
    public async Task One_hundred_thousand_csv_rows_land_completely()
    {
        var phones = Enumerable.Range(0, 100_000).Select(_ => Unique.KenyanPhone()).ToArray();
        var csv = new StringBuilder("phone,first_name,last_name,location,preferred_product,opted_out\n");
        for (var i = 0; i < phones.Length; i++)
        {
            csv.Append(National(phones[i])).Append(",Name").Append(i).Append(",Bulk,Nairobi,Solar Lamp,")
                .Append(i % 10 == 0 ? "true" : "false").Append('\n');
        }

        // As long as the API gives bulk work (CustomerImportSession: 5 minutes), not HttpClient's default 100 s: on a busy
        // machine the upsert alone has taken longer.
        using var bulk = fixture.CreateApiClient();
        bulk.Timeout = TimeSpan.FromMinutes(5);
        var clock = Stopwatch.StartNew();
        var response = (await bulk.ImportCsvAsync(csv.ToString(), Ct)).Expect(HttpStatusCode.OK).Json;
        TestContext.Current.TestOutputHelper?.WriteLine($"100,000-row CSV import answered in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(100_000, response["received"]!.GetValue<int>());
        Assert.Equal(100_000, response["created"]!.GetValue<int>());
        Assert.Equal(0, response["updated"]!.GetValue<int>());
        Assert.Empty(response["rejected"]!.AsArray());
        var ids = response.Ids();
        Assert.Equal(100_000, ids.Distinct().Count());

        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var stored = (await connection.QueryAsync<(long Id, string Phone, string FirstName, bool OptedOut)>(new CommandDefinition(
            "SELECT id, phone, first_name, opted_out FROM customers WHERE id = ANY(@ids)", new { ids }, cancellationToken: Ct)))
            .ToDictionary(r => r.Id);
        Assert.Equal(100_000, stored.Count);
        for (var i = 0; i < ids.Length; i += 997)
        {
            Assert.Equal(phones[i], stored[ids[i]].Phone);
            Assert.Equal($"Name{i}", stored[ids[i]].FirstName);
            Assert.Equal(i % 10 == 0, stored[ids[i]].OptedOut);
        }
    }

    [Fact]
    public async Task The_import_accepts_a_body_above_the_default_30_mb_limit()
    {
        var phone = Unique.KenyanPhone();
        var body = $$"""[{"phone":"{{phone}}","notes":"{{new string('n', 40_000_000)}}"}]""";

        var response = (await _api.ImportJsonAsync(body, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(1, response["created"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_openapi_document_names_both_import_media_types()
    {
        var document = (await _api.GetJsonAsync("/openapi/v1.json", Ct)).Expect(HttpStatusCode.OK).Json;

        var content = document["paths"]!["/customers/import"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.Contains("application/json", content.Select(c => c.Key));
        Assert.Contains("text/csv", content.Select(c => c.Key));
        Assert.NotNull(document["paths"]!["/customers/{id}"]!["patch"]);
    }

    private static JsonObject Rejection(int row, string phone, string error) =>
        new() { ["row"] = row, ["phone"] = phone, ["error"] = error };
}
