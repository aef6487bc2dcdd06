using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;
using static Campaigns.Tests.CustomerEndpoints.CustomerCalls;

namespace Campaigns.Tests.CustomerEndpoints;

/// <summary>
/// An import is written to Postgres as its body arrives, not once the whole body (up to 64 MiB) is in
/// memory: while the rest of a body is held back, the rows already sent are being copied.
/// </summary>
public sealed class StreamedImportTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rows_reach_postgres_while_the_body_is_still_arriving()
    {
        // The API's connections carry a name of their own, so its COPY can be told from any other test's.
        var application = $"streamed-import-{Guid.NewGuid():N}"[..40];
        var postgres = new NpgsqlConnectionStringBuilder(await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct))
        {
            ApplicationName = application,
        };
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres.ConnectionString, redis);
        using var client = factory.CreateAuthenticatedClient(streamBodies: true);

        var phones = Enumerable.Range(0, 10_001).Select(_ => Unique.KenyanPhone()).ToArray();
        var head = new StringBuilder("phone,first_name\n");
        foreach (var phone in phones[..^1])
        {
            head.Append(National(phone)).Append(",Streamed\n");
        }
        using var body = new HeldBody(head.ToString(), $"{phones[^1]},Last\n", "text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/customers/import") { Content = body };
        var import = client.SendRawAsync(request, Ct);

        var copied = await CopiedRowsAsync(application);
        body.Release();
        var response = (await import).Expect(HttpStatusCode.OK).Json;

        Assert.True(copied > 0, "no row was copied while the body was held back");
        Assert.Equal(10_001, response["created"]!.GetValue<int>());
        Assert.Equal(10_001, response.Ids().Length);
    }

    /// <summary>Waits until a COPY of the named application has processed rows; their number.</summary>
    private async Task<long> CopiedRowsAsync(string application)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        while (!deadline.IsCancellationRequested)
        {
            var copied = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                SELECT max(p.tuples_processed) FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid
                WHERE a.application_name = @application
                """, new { application }, cancellationToken: Ct));
            if (copied > 0)
            {
                return copied.Value;
            }
            await Task.Delay(50, Ct);
        }
        return 0;
    }
}
