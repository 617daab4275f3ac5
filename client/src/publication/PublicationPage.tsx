import { Space, Tabs, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { CorrectionsTab } from './CorrectionsTab';
import { DueTab } from './DueTab';
import { PublishedTab } from './PublishedTab';
import { StatsTab } from './StatsTab';

/** 结果公示 for staff: what is due, what is published (and its corrections), and the rate. */
export function PublicationPage() {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          结果公示
        </Typography.Title>
        <Link to="/public" target="_blank">
          打开公众公示页面
        </Link>
      </Space>
      <Tabs
        items={[
          { key: 'due', label: '待公示', children: <DueTab /> },
          { key: 'published', label: '已公示', children: <PublishedTab /> },
          { key: 'corrections', label: '更正审核', children: <CorrectionsTab /> },
          { key: 'stats', label: '公示率', children: <StatsTab /> },
        ]}
      />
    </Space>
  );
}
