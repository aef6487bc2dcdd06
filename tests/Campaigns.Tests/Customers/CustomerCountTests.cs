using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure;
using static Campaigns.Tests.CustomerEndpoints.CustomerCalls;

namespace Campaigns.Tests.CustomerEndpoints;

/// <summary>
/// The customer list's <c>total_count</c> comes from maintained counts (migration 0008), not from counting
/// the table; these tests hold them to <c>count(*)</c> through every kind of write.
/// </summary>
public sealed class CustomerCountTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // One statement, so one snapshot: whatever other tests write meanwhile, both sides see the same rows.
    private const string MismatchesSql = """
        WITH counted AS (
            SELECT lower(location) AS location_key, opted_out, count(*) AS n FROM customers GROUP BY 1, 2
        ),
        by_location AS (
            SELECT location_key, opted_out, sum(n) AS n FROM (
                SELECT location_key, opted_out, n FROM customer_location_counts
                UNION ALL
                SELECT location_key, opted_out, delta FROM customer_count_deltas) parts
            GROUP BY location_key, opted_out
        ),
        totals AS (
            SELECT opted_out, sum(n) AS n FROM (
                SELECT opted_out, n FROM customer_counts
                UNION ALL
                SELECT opted_out, delta FROM customer_count_deltas) parts
            GROUP BY opted_out
        )
        SELECT (SELECT count(*) FROM counted FULL JOIN by_location USING (location_key, opted_out)
                WHERE coalesce(counted.n, 0) <> coalesce(by_location.n, 0))
             + (SELECT count(*) FROM (SELECT opted_out, sum(n) AS n FROM counted GROUP BY opted_out) c
                FULL JOIN totals USING (opted_out) WHERE coalesce(c.n, 0) <> coalesce(totals.n, 0))
        """;

    [Fact]
    public async Task Maintained_counts_equal_count_star_through_bulk_inserts_updates_deletes_and_compaction()
    {
        var tag = $"counts-{Guid.NewGuid():N}";
        var phones = Enumerable.Range(0, 500).Select(_ => Unique.KenyanPhone()).ToArray();
        await fixture.Database.ExecuteAsync("""
            INSERT INTO customers (phone, first_name, location, opted_out)
            SELECT p, @tag, CASE WHEN g % 3 = 0 THEN @tag || '-a' ELSE upper(@tag) || '-B' END, g % 2 = 0
            FROM unnest(@phones) WITH ORDINALITY AS t(p, g)
            """, new { tag, phones }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));

        // A case change keeps the key; a new location, an opt-out flip and both together move rows; other fields move nothing.
        await fixture.Database.ExecuteAsync("UPDATE customers SET location = upper(location) WHERE first_name = @tag AND id % 5 = 0", new { tag }, Ct);
        await fixture.Database.ExecuteAsync("UPDATE customers SET location = @tag || '-c' WHERE first_name = @tag AND id % 7 = 0", new { tag }, Ct);
        await fixture.Database.ExecuteAsync("UPDATE customers SET opted_out = NOT opted_out WHERE first_name = @tag AND id % 4 = 0", new { tag }, Ct);
        await fixture.Database.ExecuteAsync(
            "UPDATE customers SET opted_out = NOT opted_out, location = '' WHERE first_name = @tag AND id % 11 = 0", new { tag }, Ct);
        await fixture.Database.ExecuteAsync("UPDATE customers SET last_name = 'x', updated_at = now() WHERE first_name = @tag", new { tag }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));

        await fixture.Database.ExecuteAsync("DELETE FROM customers WHERE first_name = @tag AND id % 3 = 0", new { tag }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));

        await fixture.Database.ScalarAsync<long>("SELECT compact_customer_counts()", null, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
        await fixture.Database.ExecuteAsync("DELETE FROM customers WHERE first_name = @tag", new { tag }, Ct);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
    }

    [Fact]
    public async Task Imports_that_create_and_update_keep_the_counts_exact()
    {
        var api = fixture.CreateApiClient();
        var location = $"Import-{Guid.NewGuid():N}";
        var phones = Enumerable.Range(0, 30).Select(_ => Unique.KenyanPhone()).ToArray();
        var first = new StringBuilder("phone,location,opted_out\n");
        foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
        {
            first.Append($"{phone},{location},{i % 2 == 0}\n");
        }
        (await api.ImportCsvAsync(first.ToString(), Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));

        // The same phones again (updated: some move, some flip, some stay) and ten new ones, in one upsert.
        var second = new StringBuilder("phone,location,opted_out\n");
        foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
        {
            second.Append($"{phone},{(i % 3 == 0 ? location + "-moved" : location.ToUpperInvariant())},{i % 5 == 0}\n");
        }
        for (var i = 0; i < 10; i++)
        {
            second.Append($"{Unique.KenyanPhone()},{location},true\n");
        }
        (await api.ImportCsvAsync(second.ToString(), Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(MismatchesSql, null, Ct));
    }

    [Fact]
    public async Task Filtered_totals_follow_creates_imports_patches_and_deletes_through_the_api()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        var api = isolated.Client;
        var a = (await api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location = "Nairobi" }, Ct)).Id();
        var b = (await api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location = "nairobi", opted_out = true }, Ct)).Id();
        var c = (await api.CreateCustomerAsync(new { phone = Unique.KenyanPhone(), location = "Mombasa" }, Ct)).Id();
        var imported = (await api.ImportCsvAsync($"phone,location\n{Unique.KenyanPhone()},NAIROBI\n{Unique.KenyanPhone()},Kisumu\n", Ct))
            .Expect(HttpStatusCode.OK).Json.Ids();
        (await api.PatchJsonAsync($"/customers/{c}", new { location = "Nairobi", opted_out = true }, Ct)).Expect(HttpStatusCode.OK);
        (await api.DeleteJsonAsync($"/customers/{a}", Ct)).Expect(HttpStatusCode.NoContent);
        var phoneOfB = (await api.GetJsonAsync($"/customers/{b}", Ct)).Expect(HttpStatusCode.OK).Json.Text("phone");

        Assert.Equal(4, await TotalAsync(api, ""));
        Assert.Equal(3, await TotalAsync(api, "location=nAIROBI"));
        Assert.Equal(2, await TotalAsync(api, "location=Nairobi&opted_out=true"));
        Assert.Equal(1, await TotalAsync(api, "location=Nairobi&opted_out=false"));
        Assert.Equal(2, await TotalAsync(api, "opted_out=false"));
        Assert.Equal(0, await TotalAsync(api, "location=Mombasa"));
        Assert.Equal(1, await TotalAsync(api, $"phone={Uri.EscapeDataString(phoneOfB)}"));
        Assert.Equal(0, await TotalAsync(api, $"phone={Uri.EscapeDataString(phoneOfB)}&opted_out=false"));
        Assert.Equal(2, imported.Length);
    }

    private static async Task<long> TotalAsync(HttpClient client, string query)
    {
        var body = (await client.GetJsonAsync($"/customers?{query}", Ct)).Expect(HttpStatusCode.OK).Json;
        return body["pagination"]!["total_count"]!.GetValue<long>();
    }
}
