import { Empty, Typography } from 'antd';

/** Placeholder for a module that is planned but not built yet, so staff see where it will live. */
export function ComingSoon({ title, description }: { title: string; description: string }) {
  return (
    <div style={{ padding: 48 }}>
      <Empty description={<Typography.Text type="secondary">{description}</Typography.Text>}>
        <Typography.Title level={4}>{title}（建设中）</Typography.Title>
      </Empty>
    </div>
  );
}
