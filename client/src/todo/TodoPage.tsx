import { Alert, Empty, List, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import type { TodoKind } from '../gql/graphql';
import { errorText } from '../graphql/client';
import { Todos } from './use-todos';

const KIND_LABELS: Record<TodoKind, { text: string; color: string }> = {
  VISIT: { text: '待检查', color: 'blue' },
  RETURNED: { text: '退回修改', color: 'orange' },
  SUBMIT: { text: '待提交', color: 'cyan' },
  FINALISE: { text: '待办结', color: 'purple' },
  REFERRAL_TO_ACCEPT: { text: '待接收移送', color: 'gold' },
  REFERRAL_TO_CLOSE: { text: '待办结移送', color: 'gold' },
  CORRECTION: { text: '待审核更正', color: 'magenta' },
  RECTIFICATION: { text: '待复查整改', color: 'red' },
  PUBLICATION: { text: '待公示', color: 'green' },
};

/** 待办: one list of what waits for this user, most urgent first; kept live by the header (use-todos.ts). */
export function TodoPage() {
  const [{ data, error }] = useQuery({ query: Todos });
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  if (error) return <Alert type="error" showIcon title={errorText(error)} />;
  return (
    <>
      <Typography.Title level={4}>待办</Typography.Title>
      <List
        bordered
        loading={!data}
        dataSource={data?.todos ?? []}
        locale={{ emptyText: <Empty description="暂无待办" /> }}
        renderItem={(todo) => (
          <List.Item>
            <List.Item.Meta
              title={
                <Link to={todo.path}>
                  <Tag color={KIND_LABELS[todo.kind].color}>{KIND_LABELS[todo.kind].text}</Tag>
                  {todo.title}
                </Link>
              }
              description={
                <>
                  {todo.detail}
                  {todo.dueOn && (
                    <Typography.Text type={todo.dueOn < today ? 'danger' : 'secondary'} style={{ marginLeft: 8 }}>
                      {todo.dueOn < today ? '已逾期 ' : '期限 '}
                      {todo.dueOn}
                    </Typography.Text>
                  )}
                </>
              }
            />
          </List.Item>
        )}
      />
    </>
  );
}
