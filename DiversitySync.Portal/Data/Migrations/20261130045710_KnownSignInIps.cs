using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class KnownSignInIps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KnownSignInIps",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 230,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KnownSignInIps",
                table: "AspNetUsers");
        }
    }
}
