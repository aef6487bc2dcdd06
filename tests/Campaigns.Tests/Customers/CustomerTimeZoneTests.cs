using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.CustomerEndpoints;

/// <summary>
/// A customer's <c>timezone</c> (api.md, "Timing"): kept as given, derived from the phone when absent,
/// stored either way, refused unless .NET and Postgres both know it as an IANA name; PATCH changes it.
/// </summary>
public sealed class CustomerTimeZoneTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_zone_given_on_create_is_stored_and_every_read_answers_it()
    {
        var phone = Unique.KenyanPhone();

        var created = await _api.CreateCustomerAsync(new { phone, timezone = "America/Lima" }, Ct);

        Assert.Equal("America/Lima", created.Text("timezone"));
        Assert.Equal("America/Lima", await StoredZoneAsync(created.Id()));
        var fetched = (await _api.GetJsonAsync($"/customers/{created.Id()}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("America/Lima", fetched.Text("timezone"));
        var listed = (await _api.GetJsonAsync($"/customers?phone={Uri.EscapeDataString(phone)}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("America/Lima", Assert.Single(listed["data"]!.AsArray())!.Text("timezone"));
    }

    // Prefixes, not phones: theory data is made at discovery, maybe in another process whose unique numbers
    // would not be unique against this one's.
    public static TheoryData<string, int, string> PhonesAndTheirZones => new()
    {
        { "+2547", 13, "Africa/Nairobi" },
        { "+44207", 13, "Europe/London" },
        { "+12126", 12, "America/New_York" },
        // International freephone: the mapper answers its unknown zone, and the fallback is UTC. Its
        // numbers are 00 or [1-9] and 7 digits (libphonenumber), so a fixed 1 keeps every one valid.
        { "+8001", 12, "UTC" },
    };

    [Theory]
    [MemberData(nameof(PhonesAndTheirZones))]
    public async Task Without_a_zone_create_stores_the_first_zone_the_phone_gives(string prefix, int length, string zone)
    {
        var phone = prefix == "+2547" ? Unique.KenyanPhone() : Unique.PhoneWithPrefix(prefix, length);
        var absent = await _api.CreateCustomerAsync(new { phone }, Ct);

        Assert.Equal(zone, absent.Text("timezone"));
        Assert.Equal(zone, await StoredZoneAsync(absent.Id()));
    }

    [Fact]
    public async Task A_null_zone_on_create_is_derived_like_an_absent_one()
    {
        var created = await _api.PostJsonAsync("/customers", """{"phone":"PHONE","timezone":null}""".Replace("PHONE", Unique.KenyanPhone()), Ct);

        Assert.Equal("Africa/Nairobi", created.Expect(HttpStatusCode.Created).Json.Text("timezone"));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("E. Africa Standard Time")]
    [InlineData("")]
    [InlineData("africa/nairobi")]
    [InlineData("Etc/Unknown")]
    public async Task Create_refuses_a_zone_that_is_not_a_known_iana_name(string zone)
    {
        var phone = Unique.KenyanPhone();

        var response = await _api.PostJsonAsync("/customers", new { phone, timezone = zone }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["timezone"], response.Json["errors"]!.AsObject().Select(member => member.Key));
        Assert.Equal("timezone must be an IANA time zone name such as Africa/Nairobi, spelt exactly (not a Windows name)",
            Assert.Single(response.Json["errors"]!["timezone"]!.AsArray())!.GetValue<string>());
        Assert.Contains("timezone", response.Json["error"]!["message"]!.GetValue<string>());
        Assert.Empty((await _api.GetJsonAsync($"/customers?phone={Uri.EscapeDataString(phone)}", Ct)).Json["data"]!.AsArray());
    }

    [Fact]
    public async Task Patch_sets_a_zone_and_a_null_zone_is_derived_from_the_phone_again()
    {
        var id = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct)).Id();

        var set = (await _api.PatchJsonAsync($"/customers/{id}", new { timezone = "Asia/Tokyo" }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Asia/Tokyo", set.Text("timezone"));
        Assert.Equal("Asia/Tokyo", await StoredZoneAsync(id));

        var untouched = (await _api.PatchJsonAsync($"/customers/{id}", new { first_name = "Wanjiru" }, Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Asia/Tokyo", untouched.Text("timezone"));

        var reset = (await _api.PatchJsonAsync($"/customers/{id}", """{"timezone":null}""", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Africa/Nairobi", reset.Text("timezone"));
        Assert.Equal("Africa/Nairobi", await StoredZoneAsync(id));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("E. Africa Standard Time")]
    [InlineData("")]
    public async Task Patch_refuses_a_bad_zone_and_changes_nothing(string zone)
    {
        var id = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), first_name = "Amina" }, Ct)).Id();

        var response = await _api.PatchJsonAsync($"/customers/{id}", new { first_name = "Changed", timezone = zone }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]!["timezone"]);
        var stored = (await _api.GetJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Amina", stored.Text("first_name"));
        Assert.Equal("Africa/Nairobi", stored.Text("timezone"));
    }

    [Fact]
    public async Task A_new_phone_moves_a_derived_zone_and_keeps_a_given_one()
    {
        var derived = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct)).Id();
        var given = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), timezone = "Asia/Tokyo" }, Ct)).Id();
        var both = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct)).Id();

        var moved = (await _api.PatchJsonAsync($"/customers/{derived}", new { phone = Unique.PhoneWithPrefix("+44207") }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        var kept = (await _api.PatchJsonAsync($"/customers/{given}", new { phone = Unique.PhoneWithPrefix("+12126", 12) }, Ct))
            .Expect(HttpStatusCode.OK).Json;
        var chosen = (await _api.PatchJsonAsync($"/customers/{both}", new { phone = Unique.PhoneWithPrefix("+44207"), timezone = "Europe/Dublin" }, Ct))
            .Expect(HttpStatusCode.OK).Json;

        Assert.Equal("Europe/London", moved.Text("timezone"));
        Assert.Equal("Europe/London", await StoredZoneAsync(derived));
        Assert.Equal("Asia/Tokyo", kept.Text("timezone"));
        Assert.Equal("Europe/Dublin", chosen.Text("timezone"));
    }

    [Fact]
    public async Task Patching_a_customer_that_does_not_exist_with_a_zone_change_is_404()
    {
        var response = await _api.PatchJsonAsync("/customers/999999999999", """{"timezone":null}""", Ct);

        response.Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
    }

    [Fact]
    public async Task A_row_written_by_sql_without_a_zone_reads_as_the_zone_of_its_phone()
    {
        var phone = Unique.PhoneWithPrefix("+44207");
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO customers (phone) VALUES (@phone) RETURNING id", new { phone }, cancellationToken: Ct));

        var fetched = (await _api.GetJsonAsync($"/customers/{id}", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("Europe/London", fetched.Text("timezone"));
    }

    private async Task<string?> StoredZoneAsync(long id)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT timezone FROM customers WHERE id = @id", new { id }, cancellationToken: Ct));
    }
}
