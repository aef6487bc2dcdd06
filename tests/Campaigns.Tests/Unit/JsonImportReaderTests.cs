using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Campaigns.Api.Customers.Import;

namespace Campaigns.Tests.Unit;

/// <summary>
/// The streamed JSON import reads the same rows however the body's bytes arrive: in one piece or in
/// chunks that split tokens, names and long values anywhere.
/// </summary>
public sealed class JsonImportReaderTests
{
    private static readonly JsonSerializerOptions Options = ApiOptions();

    private static JsonSerializerOptions ApiOptions()
    {
        var options = new JsonSerializerOptions();
        Campaigns.Api.Json.JsonSetup.Configure(options);
        return options;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(4_096)]
    [InlineData(65_536)]
    public async Task Rows_read_the_same_whatever_the_chunks(int chunk)
    {
        var body = $$"""[{"phone":"+254 712-345-678 / 0712 345 678 (home) 1","first_name":"Amina"},{"phone":"{{new string('7', 100_000)}}"},{"phone":{{new string('9', 5_000)}}},{"PHONE":"{{new string('8', 39)}}👟👟","opted_out":true}]""";
        var bytes = Encoding.UTF8.GetBytes(body);
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)), TestContext.Current.CancellationToken);
            }
            await pipe.Writer.CompleteAsync();
        }, TestContext.Current.CancellationToken);

        var rows = new List<ImportRow>();
        await foreach (var row in JsonImportReader.ReadAsync(pipe.Reader, Options, TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }
        await writing;

        Assert.Equal(4, rows.Count);
        Assert.Equal("Amina", rows[0].FirstName);
        Assert.Equal(100_000, rows[1].Phone!.Length);
        Assert.Equal(5_000, rows[2].Phone!.Length);
        Assert.True(rows[3].OptedOut);
        Assert.StartsWith(new string('8', 39), rows[3].Phone);
    }
}
