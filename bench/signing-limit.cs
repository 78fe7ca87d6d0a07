// How many JWT signatures per second .NET itself makes on this machine, on every core at once: the ceiling of any
// .NET token endpoint here, next to `openssl speed`. Same keys and calls as the portal (RSA 2048 PKCS#1 v1.5 with
// SHA-256 for RS256, P-256 with SHA-256 for ES256), over a JWT-sized input.
// Usage: dotnet run bench/signing-limit.cs -- <RS256|ES256> [seconds]
using System.Diagnostics;
using System.Security.Cryptography;

var algorithm = args.Length > 0 ? args[0] : "RS256";
var seconds = args.Length > 1 ? int.Parse(args[1]) : 5;
var input = RandomNumberGenerator.GetBytes(400);
using var rsa = RSA.Create(2048);
using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
Func<byte[]> sign = algorithm switch
{
    "RS256" => () => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
    "ES256" => () => ecdsa.SignData(input, HashAlgorithmName.SHA256),
    _ => throw new ArgumentException("RS256 or ES256"),
};

long total = 0;
var clock = Stopwatch.StartNew();
var threads = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
{
    long count = 0;
    while (clock.Elapsed.TotalSeconds < seconds) { sign(); count++; }
    Interlocked.Add(ref total, count);
})).ToList();
threads.ForEach(t => t.Start());
threads.ForEach(t => t.Join());
Console.WriteLine((total / clock.Elapsed.TotalSeconds).ToString("F0"));
