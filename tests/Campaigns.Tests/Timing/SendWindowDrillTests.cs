using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Recovery;
using Dapper;

namespace Campaigns.Tests.Timing;

/// <summary>
/// The drill of issue #15 (api.md Part 2, "Timing"): a campaign of 10,000 recipients across five time zones
/// with an 08:00–20:00 window goes out zone by zone, and no provider call falls outside its recipient's
/// window. The drill clock (<c>drill_clock</c>) runs the window rules' time at <see cref="Rate"/>× from just
/// before 08:00 in Kolkata, so the five openings, hours apart, come seconds apart. The mock provider's call
/// record (<c>sender_calls</c>, real times) is mapped through the same clock and read in each customer's zone.
/// </summary>
/// <remarks>
/// The shared graph's mock provider fails 8% of calls transiently (at most 3 attempts), so some messages
/// are called once per attempt and a few (about 0.05%) fail for good: "sent exactly once" is checked as one
/// call per attempt, none after the attempt that succeeded, and every call inside the window.
/// </remarks>
[Collection(nameof(DrillClock))]
public sealed class SendWindowDrillTests(AppFixture fixture)
{
    private const int PerZone = 2_000;
    private const double Rate = 1_000;
    private const int MaxAttempts = 3; // the worker's default; the shared graph keeps it
    private static readonly TimeSpan Opens = TimeSpan.FromHours(8);
    private static readonly TimeSpan Closes = TimeSpan.FromHours(20);
    // Real time from setting the clock to the first opening: the send must be written before it.
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan DrillTimeout = TimeSpan.FromSeconds(100);
    // A winter day (no zone changes its offset near it); the window has no days, so any day would do.
    private static readonly DateTime SeenDay = new(2027, 1, 13, 0, 0, 0, DateTimeKind.Unspecified);

    // In the order of their openings; openings 2.5, 2, 4 and 2 hours apart (02:30, 05:00, 07:00, 11:00, 13:00 UTC).
    private static readonly string[] ZoneNames = ["Asia/Kolkata", "Africa/Nairobi", "Africa/Lagos", "America/Sao_Paulo", "America/New_York"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The drill clock's line: seen = seen_anchor + (real − real_anchor) × rate.</summary>
    private sealed record Clock(DateTime RealAnchor, DateTime SeenAnchor, double Rate)
    {
        public DateTime Seen(DateTime real) => SeenAnchor + (real - RealAnchor) * Rate;

        public DateTime Real(DateTime seen) => RealAnchor + (seen - SeenAnchor) / Rate;
    }

    /// <summary>A zone and its window on <see cref="SeenDay"/>, in seen UTC.</summary>
    private sealed record Zone(string Name, TimeZoneInfo Info, DateTime OpensSeen, DateTime ClosesSeen)
    {
        public static Zone Of(string name)
        {
            var info = TimeZoneInfo.FindSystemTimeZoneById(name);
            return new Zone(name, info, TimeZoneInfo.ConvertTimeToUtc(SeenDay + Opens, info), TimeZoneInfo.ConvertTimeToUtc(SeenDay + Closes, info));
        }

        public TimeSpan LocalTimeOfDay(DateTime seenUtc) => TimeZoneInfo.ConvertTimeFromUtc(seenUtc, Info).TimeOfDay;
    }

    private sealed record MessageRow(long Id, string Timezone, string Status, int RetryCount);

    private sealed record CallRow(long MessageId, int Attempt, DateTime CalledAt, string Timezone);

    private sealed record ZoneState(string Timezone, string Status, bool Queued, DateTime? NotBefore, DateTime? NextAttemptAt, long Count);

    [Fact]
    public async Task Ten_thousand_recipients_in_five_zones_go_out_zone_by_zone_and_only_inside_their_window()
    {
        var zones = ZoneNames.Select(Zone.Of).ToArray();
        Assert.Equal(zones.OrderBy(z => z.OpensSeen).Select(z => z.Name), ZoneNames);
        var seenAnchor = zones[0].OpensSeen - Lead * Rate;
        Assert.All(zones, z => Assert.False(z.LocalTimeOfDay(seenAnchor) >= Opens && z.LocalTimeOfDay(seenAnchor) < Closes,
            $"{z.Name} is open at the drill's start"));

        var customers = await InsertCustomersAsync(ct: Ct);
        using var api = fixture.CreateApiClient();
        var created = await api.PostJsonAsync("/campaigns", new JsonObject
        {
            ["name"] = Unique.Name("window-drill"),
            ["channel"] = "sms",
            ["base_template"] = "Hi {first_name}, your offer is ready",
            ["send_window"] = new JsonObject { ["start"] = "08:00", ["end"] = "20:00" },
        }.ToJsonString(), Ct);
        var campaignId = created.Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

        var drill = Stopwatch.StartNew();
        Clock clock;
        try
        {
            // An INSERT, not an upsert: a row left behind by anything else fails here instead of being overwritten.
            var realAnchor = await fixture.Database.ScalarAsync<DateTime>(
                "INSERT INTO drill_clock (real_anchor, seen_anchor, rate) VALUES (clock_timestamp(), @seenAnchor, @rate) RETURNING real_anchor",
                new { seenAnchor = DateTime.SpecifyKind(seenAnchor, DateTimeKind.Utc), rate = Rate }, Ct);
            clock = new Clock(realAnchor, seenAnchor, Rate);
            await RunDrillAsync(api, campaignId, customers, zones, clock, drill);
        }
        finally
        {
            await fixture.Database.ExecuteAsync("DELETE FROM drill_clock", null, CancellationToken.None);
        }
    }

    private async Task RunDrillAsync(HttpClient api, long campaignId, long[] customers, Zone[] zones, Clock clock, Stopwatch drill)
    {
        var opensReal = zones.ToDictionary(z => z.Name, z => clock.Real(z.OpensSeen));
        var sent = (await api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customers }, Ct))
            .Expect(HttpStatusCode.Accepted).Json;
        Assert.Equal(zones.Length * PerZone, sent["messages_queued"]!.GetValue<int>());
        var acceptedAt = await NowAsync();
        Report($"Drill clock {Rate}× from {clock.SeenAnchor:HH:mm:ss} UTC seen ({Local(zones[0], clock.SeenAnchor)} in {zones[0].Name}); " +
               $"send of {customers.Length} accepted {Seconds(acceptedAt - clock.RealAnchor)} after setting it");
        foreach (var zone in zones)
        {
            Report($"  {zone.Name,-18} opens {Seconds(opensReal[zone.Name] - clock.RealAnchor)} real after the clock was set " +
                   $"({zone.OpensSeen:HH:mm} UTC seen), closes {Seconds(clock.Real(zone.ClosesSeen) - clock.RealAnchor)}");
        }

        // One message of each zone, to read through GET /campaigns/{id}/messages/{id} while the zone waits.
        var sample = (await QueryAsync<(string Timezone, long Id)>("""
            SELECT u.timezone, min(m.id) FROM outbound_messages m JOIN customers u ON u.id = m.customer_id
            WHERE m.campaign_id = @campaignId GROUP BY u.timezone
            """, new { campaignId })).ToDictionary(r => r.Timezone, r => r.Id);

        // Poll the messages until none is pending or sending; every snapshot taken between two openings is
        // checked: each zone not yet open waits whole (pending, no job, not_before = its opening, no call)
        // and stats.waiting counts exactly those.
        var checkedSnapshots = 0;
        var midDrillSnapshots = 0;
        var waitingSeen = new HashSet<string>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(DrillTimeout);
        try
        {
            while (true)
            {
                var before = await NowAsync(deadline.Token);
                var campaign = (await api.GetJsonAsync($"/campaigns/{campaignId}", deadline.Token)).Expect(HttpStatusCode.OK).Json;
                var states = await QueryAsync<ZoneState>("""
                    SELECT u.timezone, m.status, m.queued_at IS NOT NULL AS queued, m.not_before AS notbefore,
                           m.next_attempt_at AS nextattemptat, count(*) AS count
                    FROM outbound_messages m JOIN customers u ON u.id = m.customer_id
                    WHERE m.campaign_id = @campaignId
                    GROUP BY 1, 2, 3, 4, 5
                    """, new { campaignId }, deadline.Token);
                var calls = (await QueryAsync<(string Timezone, long Count)>("""
                    SELECT u.timezone, count(*) FROM sender_calls s
                    JOIN outbound_messages m ON m.id = s.outbound_message_id JOIN customers u ON u.id = m.customer_id
                    WHERE m.campaign_id = @campaignId GROUP BY 1
                    """, new { campaignId }, deadline.Token)).ToDictionary(c => c.Timezone, c => c.Count);
                var messages = new Dictionary<string, JsonNode>();
                foreach (var zone in zones.Where(z => opensReal[z.Name] > before))
                {
                    messages[zone.Name] = (await api.GetJsonAsync($"/campaigns/{campaignId}/messages/{sample[zone.Name]}", deadline.Token))
                        .Expect(HttpStatusCode.OK).Json;
                }
                var after = await NowAsync(deadline.Token);

                var waiting = zones.Where(z => opensReal[z.Name] > after).ToArray();
                var open = zones.Where(z => opensReal[z.Name] <= before).ToArray();
                if (waiting.Length + open.Length == zones.Length)
                {
                    // No opening fell inside the snapshot: its reads agree on which zones wait.
                    foreach (var zone in waiting)
                    {
                        var state = Assert.Single(states, s => s.Timezone == zone.Name);
                        Assert.Equal(("pending", false, PerZone), (state.Status, state.Queued, (int)state.Count));
                        AssertSameInstant(opensReal[zone.Name], state.NotBefore!.Value, $"{zone.Name} not_before");
                        AssertSameInstant(opensReal[zone.Name], state.NextAttemptAt!.Value, $"{zone.Name} next_attempt_at");
                        Assert.False(calls.ContainsKey(zone.Name), $"{zone.Name} was called before its opening");
                        var message = messages[zone.Name];
                        Assert.Equal("pending", message["status"]!.GetValue<string>());
                        AssertSameInstant(opensReal[zone.Name], message["not_before"]!.GetValue<DateTimeOffset>().UtcDateTime,
                            $"{zone.Name} message {sample[zone.Name]} not_before");
                        waitingSeen.Add(zone.Name);
                    }
                    Assert.Equal(waiting.Length * PerZone, campaign["stats"]!["waiting"]!.GetValue<int>());
                    checkedSnapshots++;
                    if (waiting.Length > 0 && open.Any(z => calls.ContainsKey(z.Name)))
                    {
                        midDrillSnapshots++;
                    }
                }
                if (states.All(s => s.Status is not ("pending" or "sending")))
                {
                    break;
                }
                await Task.Delay(250, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            var counts = await fixture.Database.ScalarAsync<string>("""
                SELECT string_agg(zone || ' ' || status || ' ' || n, ', ' ORDER BY zone, status) FROM (
                    SELECT u.timezone AS zone, m.status, count(*) AS n FROM outbound_messages m JOIN customers u ON u.id = m.customer_id
                    WHERE m.campaign_id = @campaignId GROUP BY 1, 2) x
                """, new { campaignId }, CancellationToken.None);
            throw new TimeoutException($"Campaign {campaignId} not finished {DrillTimeout} after its send: {counts}");
        }
        var finished = drill.Elapsed;
        Report($"  {checkedSnapshots} snapshots checked between openings, {midDrillSnapshots} with a zone sent and a zone waiting; " +
               $"zones seen waiting whole: {string.Join(", ", zones.Where(z => waitingSeen.Contains(z.Name)).Select(z => z.Name))}");
        Assert.True(midDrillSnapshots > 0, "No snapshot caught a zone released while a later one still waited");
        Assert.Contains(zones[^1].Name, waitingSeen);

        await AssertOutcomeAsync(api, campaignId, zones, clock, opensReal);
        Report($"  whole drill {Seconds(finished)} (customers inserted before it)");
    }

    private async Task AssertOutcomeAsync(HttpClient api, long campaignId, Zone[] zones, Clock clock, Dictionary<string, DateTime> opensReal)
    {
        var db = new DeliveryDatabase(fixture.Database);
        var campaign = await db.WaitUntilNotAsync(campaignId, "sending", TimeSpan.FromSeconds(15), Ct);
        Assert.Equal("sent", campaign.Status);
        await db.AssertCountersMatchAsync(campaignId, Ct);
        var stats = (await api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Expect(HttpStatusCode.OK).Json["stats"]!;
        Assert.Equal(0, stats["waiting"]!.GetValue<int>());

        var messages = (await QueryAsync<MessageRow>("""
            SELECT m.id, u.timezone, m.status, m.retry_count AS retrycount
            FROM outbound_messages m JOIN customers u ON u.id = m.customer_id WHERE m.campaign_id = @campaignId
            """, new { campaignId })).ToDictionary(m => m.Id);
        var calls = await QueryAsync<CallRow>("""
            SELECT s.outbound_message_id AS messageid, s.attempt, s.called_at AS calledat, u.timezone
            FROM sender_calls s JOIN outbound_messages m ON m.id = s.outbound_message_id JOIN customers u ON u.id = m.customer_id
            WHERE m.campaign_id = @campaignId
            """, new { campaignId });

        // (c) Every message called once per attempt, none after the attempt that succeeded: sent ones were
        // called retry_count + 1 times (the last call the one that took), failed ones MaxAttempts times.
        Assert.Equal(zones.Length * PerZone, messages.Count);
        Assert.All(messages.Values, m => Assert.True(m.Status == "sent" || (m.Status == "failed" && m.RetryCount == MaxAttempts),
            $"Message {m.Id} ended {m.Status} after {m.RetryCount} failed attempt(s)"));
        var byMessage = calls.ToLookup(c => c.MessageId);
        foreach (var message in messages.Values)
        {
            var attempts = message.RetryCount + (message.Status == "sent" ? 1 : 0);
            Assert.Equal(Enumerable.Range(1, attempts), byMessage[message.Id].Select(c => c.Attempt).Order());
        }
        Assert.All(calls, c => Assert.True(messages.ContainsKey(c.MessageId)));

        // (a) Every call, read on the drill clock in its customer's zone, inside 08:00–20:00; and in the
        // window's first opening after the send (no zone waited a whole day).
        var zoneOf = zones.ToDictionary(z => z.Name);
        var outside = calls.Where(c =>
        {
            var local = zoneOf[c.Timezone].LocalTimeOfDay(clock.Seen(c.CalledAt));
            return local < Opens || local >= Closes;
        }).ToList();
        Assert.True(outside.Count == 0, $"{outside.Count} call(s) outside their recipient's window, e.g. message {outside.FirstOrDefault()?.MessageId} " +
            $"at {outside.Select(c => Local(zoneOf[c.Timezone], clock.Seen(c.CalledAt))).FirstOrDefault()} in {outside.FirstOrDefault()?.Timezone}");
        Assert.All(calls, c => Assert.InRange(clock.Seen(c.CalledAt), zoneOf[c.Timezone].OpensSeen, zoneOf[c.Timezone].ClosesSeen));

        // (b) Released zone by zone: no zone's first call before its opening, first calls in the openings' order.
        var firstCalls = zones.Select(z => calls.Where(c => c.Timezone == z.Name).Min(c => c.CalledAt)).ToArray();
        for (var i = 0; i < zones.Length; i++)
        {
            Assert.True(firstCalls[i] >= opensReal[zones[i].Name], $"{zones[i].Name}'s first call came before its opening");
            if (i > 0)
            {
                Assert.True(firstCalls[i] > firstCalls[i - 1], $"{zones[i].Name} was released before {zones[i - 1].Name}");
            }
        }

        var retried = messages.Values.Count(m => m.RetryCount > 0);
        var failed = messages.Values.Count(m => m.Status == "failed");
        Report($"  {calls.Count} provider calls for {messages.Count} messages ({messages.Count - failed} sent, {failed} failed after " +
               $"{MaxAttempts} transient failures, {retried} retried); none outside its recipient's window");
        foreach (var zone in zones)
        {
            var mine = calls.Where(c => c.Timezone == zone.Name).Select(c => c.CalledAt).ToArray();
            var (first, last) = (mine.Min(), mine.Max());
            Report($"  {zone.Name,-18} {mine.Length} calls from {Seconds(first - clock.RealAnchor)} to {Seconds(last - clock.RealAnchor)} real " +
                   $"(first {Seconds(first - opensReal[zone.Name])} after its opening); local {Local(zone, clock.Seen(first))}–{Local(zone, clock.Seen(last))}");
        }
    }

    /// <summary>2,000 customers per zone in one statement, zones interleaved by id, opted in.</summary>
    private async Task<long[]> InsertCustomersAsync(CancellationToken ct)
    {
        var count = ZoneNames.Length * PerZone;
        var phones = Enumerable.Range(0, count).Select(_ => Unique.KenyanPhone()).ToArray();
        var timezones = Enumerable.Range(0, count).Select(i => ZoneNames[i % ZoneNames.Length]).ToArray();
        return [.. (await QueryAsync<long>("""
            INSERT INTO customers (phone, first_name, timezone)
            SELECT p, 'Customer ' || o, z FROM unnest(@phones::text[], @timezones::text[]) WITH ORDINALITY AS t(p, z, o) ORDER BY o
            RETURNING id
            """, new { phones, timezones }, ct)).Order()];
    }

    private async Task<List<T>> QueryAsync<T>(string sql, object parameters, CancellationToken? ct = null)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(ct ?? Ct);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: ct ?? Ct))).AsList();
    }

    private Task<DateTime> NowAsync(CancellationToken? ct = null) =>
        fixture.Database.ScalarAsync<DateTime>("SELECT clock_timestamp()", null, ct ?? Ct);

    /// <summary>Postgres keeps microseconds; the drill's arithmetic, ticks.</summary>
    private static void AssertSameInstant(DateTime expected, DateTime actual, string what) =>
        Assert.True(Math.Abs((expected - actual).TotalMilliseconds) < 1, $"{what}: {actual:O}, expected {expected:O}");

    private static string Local(Zone zone, DateTime seenUtc) =>
        TimeZoneInfo.ConvertTimeFromUtc(seenUtc, zone.Info).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s";

    private static void Report(string line) => Drill.Report(line);
}
