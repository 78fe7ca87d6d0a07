using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_CreatedAt",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_CreatedById_CreatedAt",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_LastUsedAt",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_NameForSearch",
                table: "ApiKeys");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_CreatedAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "CreatedAt", "KeyId" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_CreatedById_CreatedAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "CreatedById", "CreatedAt", "KeyId" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_LastUsedAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "LastUsedAt", "KeyId" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_NameForSearch_KeyId",
                table: "ApiKeys",
                columns: new[] { "NameForSearch", "KeyId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_CreatedAt_KeyId",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_CreatedById_CreatedAt_KeyId",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_LastUsedAt_KeyId",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_NameForSearch_KeyId",
                table: "ApiKeys");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_CreatedAt",
                table: "ApiKeys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_CreatedById_CreatedAt",
                table: "ApiKeys",
                columns: new[] { "CreatedById", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_LastUsedAt",
                table: "ApiKeys",
                column: "LastUsedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_NameForSearch",
                table: "ApiKeys",
                column: "NameForSearch");
        }
    }
}
