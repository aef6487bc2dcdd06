using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using Dapper;
using static Campaigns.Tests.CustomerEndpoints.CustomerCalls;

namespace Campaigns.Tests.CustomerEndpoints;

/// <summary>
/// <c>timezone</c> in imports: an optional column or member, checked like on create, each bad row rejected
/// alone; rows without one get the phone's zone when new and keep theirs when they exist.
/// </summary>
public sealed class CustomerTimeZoneImportTests(AppFixture fixture)
{
    private const string NotAZone = "timezone must be an IANA time zone name such as Africa/Nairobi, spelt exactly (not a Windows name)";

    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_csv_without_a_timezone_column_stores_each_phones_zone()
    {
        var (kenya, london, newYork) = (Unique.KenyanPhone(), Unique.PhoneWithPrefix("+44207"), Unique.PhoneWithPrefix("+12126", 12));

        var response = (await _api.ImportCsvAsync($"phone,first_name\n{kenya},Amina\n{london},Olivia\n{newYork},Ava\n", Ct))
            .Expect(HttpStatusCode.OK).Json;

        Assert.Empty(response["rejected"]!.AsArray());
        Assert.Equal(["Africa/Nairobi", "Europe/London", "America/New_York"], await StoredZonesAsync(response.Ids()));
    }

    [Fact]
    public async Task A_csv_timezone_column_is_kept_an_empty_cell_derived_and_a_bad_zone_rejects_its_row_alone()
    {
        var (given, empty, mars, windows) = (Unique.KenyanPhone(), Unique.PhoneWithPrefix("+44207"), Unique.KenyanPhone(), Unique.KenyanPhone());
        var csv = $"phone,timezone\n{given},Asia/Tokyo\n{empty},\n{mars},Mars/Olympus\n{windows},E. Africa Standard Time\n";

        var response = (await _api.ImportCsvAsync(csv, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(2, response["created"]!.GetValue<int>());
        var expected = new JsonArray
        {
            Rejection(3, mars, NotAZone),
            Rejection(4, windows, NotAZone),
        };
        Assert.Equal(expected.ToJsonString(), response["rejected"]!.ToJsonString());
        Assert.Equal(["Asia/Tokyo", "Europe/London"], await StoredZonesAsync(response.Ids()));
        var created = (await _api.GetJsonAsync($"/customers/{response.Ids()[0]}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Asia/Tokyo", created.Text("timezone"));
    }

    [Fact]
    public async Task A_json_timezone_member_is_checked_like_the_other_members()
    {
        var (given, nulled, empty, number, absent) =
            (Unique.KenyanPhone(), Unique.PhoneWithPrefix("+12126", 12), Unique.KenyanPhone(), Unique.KenyanPhone(), Unique.PhoneWithPrefix("+44207"));
        var rows = new JsonArray
        {
            new JsonObject { ["phone"] = given, ["timezone"] = "America/Lima" },
            new JsonObject { ["phone"] = nulled, ["timezone"] = null },
            new JsonObject { ["phone"] = empty, ["timezone"] = "" },
            new JsonObject { ["phone"] = number, ["timezone"] = 3 },
            new JsonObject { ["phone"] = absent },
        };

        var response = (await _api.ImportJsonAsync(rows.ToJsonString(), Ct)).Expect(HttpStatusCode.OK).Json;

        var expected = new JsonArray
        {
            Rejection(3, empty, NotAZone),
            Rejection(4, number, "timezone must be a string"),
        };
        Assert.Equal(expected.ToJsonString(), response["rejected"]!.ToJsonString());
        Assert.Equal(["America/Lima", "America/New_York", "Europe/London"], await StoredZonesAsync(response.Ids()));
    }

    [Fact]
    public async Task Reimporting_keeps_a_stored_zone_unless_the_row_gives_one()
    {
        var customer = await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), timezone = "Asia/Tokyo" }, Ct);
        var phone = customer.Text("phone");

        await ImportAsync($"phone,location\n{phone},Kisumu\n");
        Assert.Equal(["Asia/Tokyo"], await StoredZonesAsync([customer.Id()]));

        await ImportAsync($"phone,timezone\n{phone},\n");
        Assert.Equal(["Asia/Tokyo"], await StoredZonesAsync([customer.Id()]));

        await ImportAsync($"phone,timezone\n{phone},Europe/Paris\n");
        Assert.Equal(["Europe/Paris"], await StoredZonesAsync([customer.Id()]));
    }

    [Fact]
    public async Task Importing_a_customer_written_by_sql_without_a_zone_gives_them_their_phones()
    {
        var phone = Unique.PhoneWithPrefix("+44207");
        long id;
        await using (var connection = await fixture.Database.OpenConnectionAsync(Ct))
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO customers (phone) VALUES (@phone) RETURNING id", new { phone }, cancellationToken: Ct));
        }

        await ImportAsync($"phone,first_name\n{phone},Olivia\n");

        Assert.Equal(["Europe/London"], await StoredZonesAsync([id]));
    }

    private async Task ImportAsync(string csv)
    {
        var response = (await _api.ImportCsvAsync(csv, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Empty(response["rejected"]!.AsArray());
    }

    /// <summary>The stored zones of the customers, in the order given ("NULL" for none).</summary>
    private async Task<string[]> StoredZonesAsync(long[] ids)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var zones = (await connection.QueryAsync<(long Id, string? Timezone)>(new CommandDefinition(
            "SELECT id, timezone FROM customers WHERE id = ANY(@ids)", new { ids }, cancellationToken: Ct))).ToDictionary(r => r.Id, r => r.Timezone);
        return [.. ids.Select(id => zones[id] ?? "NULL")];
    }

    private static JsonObject Rejection(int row, string phone, string error) =>
        new() { ["row"] = row, ["phone"] = phone, ["error"] = error };
}
