import { ImportOutlined } from '@ant-design/icons';
import { Button, Space, Tabs, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useAuth } from '../auth/auth-context';
import { CheckItemsTab } from './CheckItemsTab';
import { EnterprisesTab } from './EnterprisesTab';
import { ImportDialog } from './ImportDialog';
import { OfficersTab } from './OfficersTab';

/** 一单两库: the registries and the check-item list, kept record by record or imported. */
export function RegistryPage() {
  const { session } = useAuth();
  const [importing, setImporting] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);
  const canImport = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD' || r === 'ADMIN');
  const onImported = useCallback(() => setRefreshKey((k) => k + 1), []);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          名录库
        </Typography.Title>
        {canImport && (
          <Button type="primary" icon={<ImportOutlined />} onClick={() => setImporting(true)}>
            导入
          </Button>
        )}
      </Space>
      <Tabs
        items={[
          { key: 'enterprises', label: '监管对象名录库', children: <EnterprisesTab refreshKey={refreshKey} /> },
          { key: 'officers', label: '执法人员名录库', children: <OfficersTab refreshKey={refreshKey} /> },
          { key: 'items', label: '抽查事项清单', children: <CheckItemsTab /> },
        ]}
      />
      <ImportDialog open={importing} onClose={() => setImporting(false)} onImported={onImported} />
    </Space>
  );
}
