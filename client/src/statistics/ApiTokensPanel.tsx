import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { errorText } from '../graphql/client';
import { ApiTokens, CreateApiToken, RevokeApiToken } from './documents';

const EXAMPLE = (origin: string) => `curl -s ${origin}/graphql -H 'content-type: application/json' \\
  -H "authorization: Bearer $HUB_TOKEN" \\
  -d '{"query":"{ statistics(filter: {year: ${new Date().getFullYear()}}, groupBy: [TASK]) { rows { label visits visitsFinalised publicationRate } } }"}'`;

/** 报表令牌: read-only tokens for the department's reporting tools; the head issues and revokes them. */
export function ApiTokensPanel() {
  const { session } = useAuth();
  const { message } = App.useApp();
  const head = session?.user.roles.includes('HEAD') ?? false;
  const [{ data, error }, reload] = useQuery({ query: ApiTokens });
  const [, create] = useMutation(CreateApiToken);
  const [, revoke] = useMutation(RevokeApiToken);
  const [issued, setIssued] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; expiresAt: Dayjs }>();

  const submit = async (values: { name: string; expiresAt: Dayjs }) => {
    const result = await create({ name: values.name, expiresAt: values.expiresAt.endOf('day').toISOString() });
    if (result.error) return void message.error(errorText(result.error));
    setIssued(result.data!.createApiToken.token);
    form.resetFields();
    reload({ requestPolicy: 'network-only' });
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        message="报表令牌只读：报表工具或脚本用它调用统计接口（statistics），范围为本部门，不能做任何修改；每次调用都记入审计日志。"
        description={
          <Typography.Paragraph copyable={{ text: EXAMPLE(window.location.origin) }} style={{ marginBottom: 0 }}>
            <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{EXAMPLE(window.location.origin)}</pre>
          </Typography.Paragraph>
        }
      />
      {head && (
        <Form form={form} layout="inline" onFinish={(v) => void submit(v)} initialValues={{ expiresAt: dayjs().add(90, 'day') }}>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写用途' }]}>
            <Input placeholder="如：市数据平台月报" maxLength={64} />
          </Form.Item>
          <Form.Item name="expiresAt" label="有效期至" rules={[{ required: true, message: '请选择有效期' }]}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs().add(365, 'day'))} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            创建令牌
          </Button>
        </Form>
      )}
      {error && <Typography.Text type="danger">{errorText(error)}</Typography.Text>}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={data?.apiTokens ?? []}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '状态', render: (_, t) => (t.active ? <Tag color="green">可用</Tag> : <Tag>{t.revokedAt ? '已撤销' : '已过期'}</Tag>) },
          { title: '有效期至', render: (_, t) => dayjs(t.expiresAt).format('YYYY-MM-DD') },
          { title: '调用次数', dataIndex: 'uses', align: 'right' },
          { title: '最近使用', render: (_, t) => (t.lastUsedAt ? dayjs(t.lastUsedAt).format('YYYY-MM-DD HH:mm') : '—') },
          { title: '创建人', dataIndex: 'createdBy' },
          ...(head
            ? [
                {
                  title: '操作',
                  render: (_: unknown, t: { id: string; active: boolean }) =>
                    t.active && (
                      <Popconfirm
                        title="撤销后立即失效，确定？"
                        onConfirm={() => void revoke({ id: t.id }).then((r) => r.error && message.error(errorText(r.error)))}
                      >
                        <Button size="small" danger>
                          撤销
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={issued !== null}
        title="令牌已创建"
        onOk={() => setIssued(null)}
        onCancel={() => setIssued(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Typography.Paragraph>令牌原文只显示这一次，请立即复制保存：</Typography.Paragraph>
        <Typography.Paragraph copyable code style={{ wordBreak: 'break-all' }} aria-label="令牌原文">
          {issued}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
