/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg and the Prisma runtime are Node libraries; let Node load them instead of bundling.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', '@prisma/client'],
  typedRoutes: false,
};

export default nextConfig;
