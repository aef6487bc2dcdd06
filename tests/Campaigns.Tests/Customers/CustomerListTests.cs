using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure;
using static Campaigns.Tests.CustomerEndpoints.CustomerCalls;

namespace Campaigns.Tests.CustomerEndpoints;

public sealed class CustomerListTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_phone_filter_takes_any_form_and_matches_exactly()
    {
        var phone = Unique.KenyanPhone();
        var id = (await _api.CreateCustomerAsync(new { phone }, Ct)).Id();
        await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct);

        foreach (var form in new[] { phone, National(phone), NationalSpaced(phone), Subscriber(phone), InternationalDashed(phone) })
        {
            var body = (await _api.GetJsonAsync($"/customers?phone={Uri.EscapeDataString(form)}", Ct)).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(id, Assert.Single(body["data"]!.AsArray())!.Id());
            Assert.Equal(1, body["pagination"]!["total_count"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task The_location_filter_is_exact_but_ignores_case()
    {
        var location = $"Kisumu-{Guid.NewGuid():N}";
        var a = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location }, Ct)).Id();
        var b = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location = location.ToUpperInvariant() }, Ct)).Id();
        await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location = location + " East" }, Ct);

        var body = (await _api.GetJsonAsync($"/customers?location={location.ToLowerInvariant()}", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal([b, a], body["data"]!.AsArray().Select(c => c!.Id()));
        Assert.Equal(2, body["pagination"]!["total_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_opted_out_filter_combines_with_the_others()
    {
        var location = $"Eldoret-{Guid.NewGuid():N}";
        var optedOut = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location, opted_out = true }, Ct)).Id();
        var optedIn = (await _api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location }, Ct)).Id();

        var outs = (await _api.GetJsonAsync($"/customers?location={location}&opted_out=true", Ct)).Expect(HttpStatusCode.OK).Json;
        var ins = (await _api.GetJsonAsync($"/customers?location={location}&opted_out=false", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(optedOut, Assert.Single(outs["data"]!.AsArray())!.Id());
        Assert.Equal(optedIn, Assert.Single(ins["data"]!.AsArray())!.Id());
        var all = (await _api.GetJsonAsync("/customers?opted_out=true&page_size=100", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.All(all["data"]!.AsArray(), c => Assert.True(c!["opted_out"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("opted_out=yes")]
    [InlineData("opted_out=1")]
    [InlineData("opted_out=")]
    [InlineData("phone=12345")]
    [InlineData("phone=call%200712345678")]
    [InlineData("page=abc")]
    [InlineData("cursor=not-a-cursor!")]
    [InlineData("location=a%00b")]
    public async Task Bad_list_parameters_are_validation_errors(string query)
    {
        (await _api.GetJsonAsync($"/customers?{query}", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Forty_five_customers_page_20_20_5_newest_first_and_a_cursor_walk_sees_each_once()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        var csv = new StringBuilder("phone,first_name\n");
        for (var i = 0; i < 45; i++)
        {
            csv.Append(Unique.KenyanPhone()).Append(",c").Append(i).Append('\n');
        }
        var imported = (await isolated.Client.ImportCsvAsync(csv.ToString(), Ct)).Expect(HttpStatusCode.OK).Json;
        var created = imported.Ids();
        Assert.Equal(45, created.Length);

        var seen = new List<long>();
        foreach (var (page, expected) in new[] { (1, 20), (2, 20), (3, 5) })
        {
            var body = (await isolated.Client.GetJsonAsync($"/customers?page={page}&page_size=20", Ct)).Expect(HttpStatusCode.OK).Json;
            var ids = body["data"]!.AsArray().Select(c => c!.Id()).ToList();
            Assert.Equal(expected, ids.Count);
            Assert.Equal(45, body["pagination"]!["total_count"]!.GetValue<long>());
            Assert.Equal(3, body["pagination"]!["total_pages"]!.GetValue<long>());
            seen.AddRange(ids);
        }
        Assert.Equal(created.OrderByDescending(id => id), seen);

        var walked = new List<long>();
        string? cursor = null;
        do
        {
            var path = cursor is null ? "/customers?page_size=7" : $"/customers?page_size=7&cursor={cursor}";
            var body = (await isolated.Client.GetJsonAsync(path, Ct)).Expect(HttpStatusCode.OK).Json;
            walked.AddRange(body["data"]!.AsArray().Select(c => c!.Id()));
            cursor = body["pagination"]!["next_cursor"]?.GetValue<string>();
            // A customer created meanwhile lands at the head of the list and must not disturb the walk.
            await isolated.Client.CreateCustomerAsync(new { phone = Unique.KenyanPhone() }, Ct);
        }
        while (cursor is not null);
        Assert.Equal(created.OrderByDescending(id => id), walked);
    }
}
