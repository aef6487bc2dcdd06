using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Campaigns.Core.Content;
using Campaigns.Tests.Infrastructure;
using Npgsql;

namespace Campaigns.Tests.Variants;

/// <summary>
/// A full A/B run on any graph, with its checks: the sample written first in its own variants and the rest held without
/// text, the decision on the clicks the run makes, the winner sent to the rest, nobody messaged twice. The decision is
/// brought forward (decide_at = now()) once the clicks are counted instead of waiting for a real decide_after. The shared
/// graph runs it with one worker (<see cref="AbTestTests"/>), the two-replica graph with two (<see cref="AbTestReplicaTests"/>).
/// </summary>
public sealed partial class AbTestRun(HttpClient api, NpgsqlDataSource database, Uri apiEndpoint)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static readonly object[] TwoLinkedVariants =
    [
        new { key = "a", template = "A {first_name} https://shop.example/a", weight = 1 },
        new { key = "b", template = "B {first_name} https://shop.example/b", weight = 1 },
    ];

    [GeneratedRegex("^(?<v>[AB]) Test (?<base>http://[^ ]+/l/)(?<code>[0-9A-Za-z]{8})$")]
    public static partial Regex TrackedText();

    /// <summary>What a finished run left: the campaign, its messages, the sample's customers and the variant clicked.</summary>
    public sealed record Outcome(long Id, JsonNode Campaign, List<JsonNode> Messages, HashSet<long> Sample, string Winner);

    private string LinkPrefix => apiEndpoint.GetLeftPart(UriPartial.Authority) + "/l/";

    /// <summary>An A/B test of <see cref="TwoLinkedVariants"/> (links tracked, decide_after an hour) sent to new customers.</summary>
    public async Task<(long Id, VariantContent[] Variants, long[] Customers)> SendAsync(int recipients, int samplePercent, string metric,
        bool trackLinks = true)
    {
        var campaign = await api.CreateWithVariantsAsync(Ct, TwoLinkedVariants,
            new { sample_percent = samplePercent, metric, decide_after = "PT1H" }, trackLinks);
        var id = campaign["id"]!.GetValue<long>();
        var customers = await database.TestCustomersAsync(recipients, Ct);
        (await api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);
        return (id, VariantCalls.VariantsOf(campaign), customers);
    }

    /// <summary>Waits until the sample is sent (or failed): only the undecided rest is pending.</summary>
    public Task<JsonNode> WaitForSampleAsync(long id, int rest) => api.WaitForCampaignAsync(id,
        c => c["stats"]!["pending"]!.GetValue<int>() == rest && c["stats"]!["sending"]!.GetValue<int>() == 0, Patience, Ct);

    /// <summary>Brings the decision forward: due at the deciders' next round.</summary>
    public Task DecideNowAsync(long id) => database.ExecuteAsync("UPDATE campaigns SET decide_at = now() WHERE id = @id", new { id }, Ct);

    public Task<JsonNode> WaitUntilDoneAsync(long id) =>
        api.WaitForCampaignAsync(id, c => c["status"]!.GetValue<string>() is "sent" or "failed", Patience, Ct);

    /// <summary>Every message had one provider call per recorded attempt: nobody was messaged twice.</summary>
    public async Task AssertOneCallPerAttemptAsync(long id, IReadOnlyList<JsonNode> messages)
    {
        var calls = await database.CallsPerMessageAsync(id, Ct);
        foreach (var message in messages)
        {
            var attempts = message["retry_count"]!.GetValue<int>() + (message["status"]!.GetValue<string>() == "sent" ? 1 : 0);
            Assert.True(calls[message["id"]!.GetValue<long>()] == attempts, $"{calls[message["id"]!.GetValue<long>()]} calls for {message.ToJsonString()}");
        }
    }

    /// <summary>The whole run on <paramref name="recipients"/> new customers, <paramref name="samplePercent"/>% of them the sample.</summary>
    public async Task<Outcome> RunAsync(int recipients, int samplePercent)
    {
        var (id, variants, customers) = await SendAsync(recipients, samplePercent, "clicked");
        var sampleSize = (int)Math.Ceiling(recipients * samplePercent / 100.0);
        var restSize = recipients - sampleSize;

        // Written: the sample (those of lowest rank) in each one's own variant, the rest without variant or text.
        var sample = customers.OrderBy(c => VariantAssignment.SampleRank(id, c)).Take(sampleSize).ToHashSet();
        var written = await api.MessagesAsync(id, Ct);
        Assert.Equal(recipients, written.Count);
        foreach (var message in written)
        {
            var customer = message["customer_id"]!.GetValue<long>();
            if (sample.Contains(customer))
            {
                var variant = VariantAssignment.Pick(id, customer, variants);
                Assert.Equal(variant, message["variant"]!.GetValue<string>());
                var text = TrackedText().Match(message["rendered_content"]!.GetValue<string>());
                Assert.True(text.Success && text.Groups["v"].Value == variant.ToUpperInvariant(), message.ToJsonString());
            }
            else
            {
                Assert.Null(message["variant"]);
                Assert.Null(message["rendered_content"]);
                Assert.Equal(("pending", 0), (message["status"]!.GetValue<string>(), message["retry_count"]!.GetValue<int>()));
            }
        }
        Assert.Equal(3600.0, await database.ScalarAsync<double>("""
            SELECT extract(epoch FROM c.decide_at - (SELECT min(m.created_at) FROM outbound_messages m WHERE m.campaign_id = c.id))::float8
            FROM campaigns c WHERE c.id = @id
            """, new { id }, Ct));
        var beforeDecision = await WaitForSampleAsync(id, restSize);
        Assert.Null(beforeDecision["winner"]);
        Assert.Equal("sending", beforeDecision["status"]!.GetValue<string>());
        Assert.Equal(0, beforeDecision["stats"]!["waiting"]!.GetValue<int>());

        // Clicks on the sample of the highest key present (so the tie rule alone cannot make it win).
        var sampleMessages = written.Where(m => m["variant"] is not null).ToList();
        var clicked = sampleMessages.Select(m => m["variant"]!.GetValue<string>()).Max(StringComparer.Ordinal)!;
        using var recipient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = apiEndpoint };
        var clicks = 0;
        foreach (var message in sampleMessages.Where(m => m["variant"]!.GetValue<string>() == clicked))
        {
            var code = TrackedText().Match(message["rendered_content"]!.GetValue<string>()).Groups["code"].Value;
            using var response = await recipient.GetAsync($"/l/{code}", Ct);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            clicks++;
        }
        await api.WaitForCampaignAsync(id, c => c["stats"]!["clicked"]!.GetValue<int>() == clicks, Patience, Ct);

        await DecideNowAsync(id);
        var done = await WaitUntilDoneAsync(id);

        Assert.Equal(clicked, done["winner"]!.GetValue<string>());
        var messages = await api.MessagesAsync(id, Ct);
        Assert.Equal(recipients, messages.Count);
        foreach (var message in messages.Where(m => !sample.Contains(m["customer_id"]!.GetValue<long>())))
        {
            Assert.Equal(clicked, message["variant"]!.GetValue<string>());
            var text = TrackedText().Match(message["rendered_content"]!.GetValue<string>());
            Assert.True(text.Success && text.Groups["v"].Value == clicked.ToUpperInvariant() && text.Groups["base"].Value == LinkPrefix,
                message.ToJsonString());
        }
        // Each message's link written once: the sample's at the send, the rest's at the one release.
        Assert.Equal((long)recipients, await database.ScalarAsync<long>(
            "SELECT count(DISTINCT message_id) FROM links WHERE campaign_id = @id", new { id }, Ct));
        Assert.Equal((long)recipients, await database.ScalarAsync<long>("SELECT count(*) FROM links WHERE campaign_id = @id", new { id }, Ct));
        await AssertOneCallPerAttemptAsync(id, messages);
        var perVariant = done["stats"]!["variants"]!;
        Assert.Equal(sampleMessages.Count(m => m["variant"]!.GetValue<string>() == clicked) + restSize, perVariant[clicked]!["total"]!.GetValue<int>());
        Assert.Equal(clicks, perVariant[clicked]!["clicked"]!.GetValue<int>());
        Assert.Equal(recipients, done["stats"]!["total"]!.GetValue<int>());
        return new Outcome(id, done, messages, sample, clicked);
    }
}
